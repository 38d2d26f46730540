// The activation explorer: f and f' of a registry function, drawn on a canvas, with a slider
// per parameter, an adjustable x range, a readout under the pointer or the keyboard cursor,
// and up to two more functions to compare. The functions themselves are printed from the
// registry's sympy formulas (docs_build/explorer.py -> explorer-functions.js); this file only
// draws. explorer-boot.js loads both when an explorer scrolls into view, and calls stopAll
// when Material's instant navigation leaves the page. State lives in the URL:
//   #explore=elu&alpha=0.5&range=-4,4&compare=relu,gelu
(function () {
  "use strict";
  var E = (window.dlgExplorer = window.dlgExplorer || {});
  var live = [];
  var MAX_COMPARE = 2;
  var LIMIT = 1e4;
  // Each function has its own colour and dash pattern (colour is never the only signal);
  // f is drawn solid-ish and thick, f' dashed and thinner.
  // (The names are what the legend and the plot's text alternative say.)
  var STYLES = [
    { f: [], df: [7, 4], fName: "solid", dfName: "dashed" },
    { f: [12, 3, 2, 3], df: [2, 3], fName: "dash-dot", dfName: "dotted" },
    { f: [4, 2], df: [10, 3, 2, 3, 2, 3], fName: "short dashes", dfName: "long dash-dot-dot" },
  ];
  var COLOURS = {
    light: ["#1f4fbf", "#b3420f", "#1d7a3a"],
    dark: ["#8fb4ff", "#ffab70", "#7fd99a"],
  };

  function fmt(v) {
    if (v === undefined || Number.isNaN(v)) return "undefined";
    if (!Number.isFinite(v)) return v > 0 ? "∞" : "−∞";
    if (v === 0) return "0";
    var a = Math.abs(v);
    var s = a >= 1e5 || a < 1e-4 ? v.toExponential(4) : String(+v.toPrecision(6));
    return s.replace("-", "−");
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // Invalid input is told, not silently reverted: a short message next to the field,
  // aria-invalid on the inputs and aria-describedby pointing at the message; an empty
  // text clears all three.
  function tell(inputs, message, text) {
    message.textContent = text || "";
    message.hidden = !text;
    inputs.forEach(function (input) {
      if (text) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", message.id);
      } else {
        input.removeAttribute("aria-invalid");
        input.removeAttribute("aria-describedby");
      }
    });
  }

  // role=status (a polite live region). It is hidden until it has a message, so whether a
  // screen reader announces it as it appears is up to the reader; the field's
  // aria-describedby carries the message in any case.
  function errorBox(id) {
    return el("p", { class: "dlg-explorer__error", id: id, role: "status", hidden: "" });
  }

  function parseHash() {
    var h = location.hash.replace(/^#/, "");
    if (h.indexOf("explore=") !== 0) return null;
    var out = {};
    h.split("&").forEach(function (kv) {
      var i = kv.indexOf("=");
      if (i <= 0) return;
      var key = kv.slice(0, i), value = kv.slice(i + 1);
      try {
        key = decodeURIComponent(key);
        value = decodeURIComponent(value);
      } catch (e) {
        // a malformed escape (a truncated link): kept as it is, which no field accepts,
        // so that parameter keeps its default and the field says why
      }
      out[key] = value;
    });
    return out;
  }

  function Explorer(root) {
    var F = E.functions;
    var self = this;
    var uid = "dlg-x-" + Math.random().toString(36).slice(2, 8);
    this.root = root;
    this.choose = root.hasAttribute("data-choose"); // the overview page: pick the function
    this.key = root.getAttribute("data-explorer");
    this.compare = (root.getAttribute("data-compare") || "").split(",").filter(function (k) {
      return F[k];
    });
    this.params = {};
    this.range = [-5, 5];
    this.uid = uid;
    this.rejected = {}; // parameter name -> why a link's value was not used
    this.cursor = null; // x under the pointer or the keyboard cursor
    this.asTorch = false; // show f as PyTorch computes it (an entry with a torch form)
    var state = parseHash();
    var linked = state;
    if (state && (state.explore === this.key || (this.choose && F[state.explore]))) {
      this.key = state.explore;
      if (state.compare !== undefined) {
        this.compare = state.compare.split(",").filter(function (k) {
          return F[k];
        });
      }
    } else state = null;
    this.asTorch = !!(state && state.torch === "1" && F[this.key].torch);
    this.resetParams(state);
    // What the link asked for that is shown otherwise or not at all: one message, under
    // the controls, until the reader changes the view.
    var notes = this.linkNotes.slice();
    if (linked && this.choose && !F[linked.explore]) {
      // the rest of the link was for that function: say it is not used either
      var dropped = Object.keys(linked).filter(function (k) {
        return k !== "explore";
      });
      notes.push("“" + linked.explore + "” is not a function here" +
        (dropped.length ? ", so " + dropped.join(", ") + " not used" : ""));
    }
    if (state) {
      var known = ["explore", "compare", "range", "torch"].concat(this.sliderSpecs().map(function (p) {
        return p.name;
      }));
      Object.keys(state).forEach(function (k) {
        if (known.indexOf(k) < 0) notes.push("“" + k + "” is not a setting of " + F[self.key].title + ", ignored");
      });
    }
    if (state && state.torch === "1" && !F[this.key].torch) {
      notes.push("torch=1 ignored: " + F[this.key].title + " has no separate PyTorch form");
    }
    if (state && state.compare !== undefined) {
      state.compare.split(",").forEach(function (k) {
        if (k && !F[k]) notes.push("“" + k + "” is not a function to compare with");
      });
    }
    if (!this.asTorch && F[this.key].torch) {
      // the torch form's sliders are hidden: their message would be too
      F[this.key].torch.params.forEach(function (p) {
        if (self.rejected[p.name]) {
          notes.push(self.rejectedShort[p.name]);
          delete self.rejected[p.name];
        }
      });
    }
    var rangeError = "";
    if (state && state.range !== undefined) {
      var r = state.range.split(",");
      var rr = this.parseRange(r[0], r.length === 2 ? r[1] : "");
      if (typeof rr === "string") rangeError = "The link's range " + state.range + " was not used: " + rr;
      else this.range = rr;
    }

    root.textContent = "";
    root.hidden = false;
    var title = el("p", { class: "dlg-explorer__title", id: uid + "-title" });
    root.appendChild(title);
    this.title = title;

    var controls = el("div", { class: "dlg-explorer__controls" });
    root.appendChild(controls);
    if (this.choose) {
      var pick = el("label", { class: "dlg-explorer__field" });
      pick.appendChild(el("span", {}, "Function"));
      this.picker = this.select(false);
      this.picker.value = this.key;
      this.picker.addEventListener("change", function () {
        self.key = self.picker.value;
        self.asTorch = false; // a new function starts as its formula
        self.resetParams(null);
        self.buildSliders();
        self.update(true);
      });
      pick.appendChild(this.picker);
      controls.appendChild(pick);
    }
    this.sliders = el("div", { class: "dlg-explorer__sliders" });
    controls.appendChild(this.sliders);

    var rangeBox = el("div", { class: "dlg-explorer__range" });
    this.lo = this.number("x from", this.range[0]);
    this.hi = this.number("x to", this.range[1]);
    rangeBox.appendChild(this.lo.parentNode);
    rangeBox.appendChild(this.hi.parentNode);
    this.rangeError = errorBox(uid + "-range-error");
    rangeBox.appendChild(this.rangeError);
    controls.appendChild(rangeBox);
    [this.lo, this.hi].forEach(function (input) {
      input.addEventListener("change", function () {
        var r = self.parseRange(self.lo.value, self.hi.value);
        if (typeof r === "string") {
          // the boxes keep what the reader typed; the plot keeps the last valid range
          tell([self.lo, self.hi], self.rangeError, r + " The plot still shows " +
            fmt(self.range[0]) + " to " + fmt(self.range[1]) + ".");
          return;
        }
        tell([self.lo, self.hi], self.rangeError, "");
        self.range = r;
        self.update(true);
      });
    });

    var cmp = el("div", { class: "dlg-explorer__compare" });
    this.comparers = [];
    for (var i = 0; i < MAX_COMPARE; i++) {
      var lab = el("label", { class: "dlg-explorer__field" });
      lab.appendChild(el("span", {}, "Compare with (" + (i + 1) + ")"));
      var s = this.select(true);
      s.value = this.compare[i] || "";
      s.addEventListener("change", function () {
        self.compare = self.comparers.map(function (c) {
          return c.value;
        }).filter(Boolean);
        self.update(true);
      });
      lab.appendChild(s);
      cmp.appendChild(lab);
      this.comparers.push(s);
    }
    controls.appendChild(cmp);
    this.linkNote = el("p", { class: "dlg-explorer__error", role: "status" });
    this.linkNote.textContent = notes.length ? "From the link: " + notes.join("; ") + "." : "";
    this.linkNote.hidden = !notes.length;
    controls.appendChild(this.linkNote);

    this.canvas = el("canvas", {
      class: "dlg-explorer__plot",
      tabindex: "0",
      // a slider over x: screen readers pass the arrow keys to it and read aria-valuetext
      role: "slider",
      "aria-orientation": "horizontal",
      "aria-describedby": uid + "-help",
    });
    root.appendChild(this.canvas);
    this.legend = el("ul", { class: "dlg-explorer__legend" });
    root.appendChild(this.legend);
    root.appendChild(
      el(
        "p",
        { class: "dlg-explorer__help", id: uid + "-help" },
        "Move the pointer over the plot, or focus it and use the arrow keys (Shift for larger " +
          "steps, Home and End for the ends), to read x, f(x) and f'(x)."
      )
    );
    // Not a live region: pointer moves would flood it. The plot's aria-valuetext carries
    // the same text to a screen reader.
    this.readout = el("p", { class: "dlg-explorer__readout" });
    root.appendChild(this.readout);
    this.convention = el("p", { class: "dlg-explorer__note" });
    root.appendChild(this.convention);
    // The address bar follows each change, but Material's navigation.tracking rewrites the
    // fragment to the current section when the reader scrolls: this link always has it.
    var share = el("p", { class: "dlg-explorer__note" });
    this.link = el("a", { class: "dlg-explorer__link" }, "Link to this view");
    this.link.addEventListener("click", function (ev) {
      ev.preventDefault();
      history.replaceState(history.state, "", self.link.getAttribute("href"));
    });
    share.appendChild(this.link);
    root.appendChild(share);

    this.buildSliders();

    // pointerdown too: a tap on a touch screen gives no pointermove. touch-action pan-y
    // leaves vertical scrolling to the page and sideways drags to the plot.
    this.canvas.style.touchAction = "pan-y";
    ["pointermove", "pointerdown"].forEach(function (type) {
      self.canvas.addEventListener(type, function (ev) {
        var r = self.canvas.getBoundingClientRect();
        self.cursor = self.xAt(ev.clientX - r.left);
        self.draw();
      });
    });
    this.canvas.addEventListener("keydown", function (ev) {
      var span = self.range[1] - self.range[0];
      var step = span / (ev.shiftKey ? 10 : 100);
      var c = self.cursor === null ? (self.range[0] + self.range[1]) / 2 : self.cursor;
      if (ev.key === "ArrowRight" || ev.key === "ArrowUp") c += step;
      else if (ev.key === "ArrowLeft" || ev.key === "ArrowDown") c -= step;
      else if (ev.key === "Home") c = self.range[0];
      else if (ev.key === "End") c = self.range[1];
      else return;
      ev.preventDefault();
      self.cursor = Math.min(self.range[1], Math.max(self.range[0], +c.toPrecision(12)));
      self.draw();
    });
    this.resize = new ResizeObserver(function () {
      self.draw();
    });
    this.resize.observe(this.canvas);
    // Material's palette toggle sets data-md-color-scheme on <body>: redraw in its colours.
    this.scheme = new MutationObserver(function () {
      self.draw();
    });
    this.scheme.observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
    this.update(false);
    // after update(), which clears the range's message when it rewrites the boxes
    if (rangeError) tell([this.lo, this.hi], this.rangeError, rangeError);
  }

  Explorer.prototype.select = function (optional) {
    var s = el("select");
    if (optional) s.appendChild(el("option", { value: "" }, "none"));
    var F = E.functions;
    Object.keys(F).forEach(function (k) {
      s.appendChild(el("option", { value: k }, F[k].title));
    });
    return s;
  };

  Explorer.prototype.number = function (label, value) {
    var lab = el("label", { class: "dlg-explorer__field" });
    lab.appendChild(el("span", {}, label));
    var input = el("input", { type: "number", step: "any", min: -LIMIT, max: LIMIT, value: value });
    lab.appendChild(input);
    return input;
  };

  // [a, b] from the range boxes' text, or why not (a sentence).
  Explorer.prototype.parseRange = function (lo, hi) {
    // Number("") is 0: an emptied box (or "1e", which reads as empty) is an error
    if (!String(lo).trim() || !String(hi).trim()) return "Enter both ends of the range.";
    var a = Number(lo), b = Number(hi);
    if (!Number.isFinite(a) || !Number.isFinite(b)) return "The ends of the range must be numbers.";
    if (Math.abs(a) > LIMIT || Math.abs(b) > LIMIT) return "The ends must lie between −10000 and 10000.";
    if (!(a < b)) return "“x from” must be less than “x to”.";
    return [a, b];
  };

  // Every slider of the function shown: its parameters, then its torch form's.
  Explorer.prototype.sliderSpecs = function () {
    var fn = E.functions[this.key];
    return fn.params.concat(fn.torch ? fn.torch.params : []);
  };

  Explorer.prototype.resetParams = function (state) {
    var params = {};
    var rejected = {};
    var short = {};
    var notes = [];
    var fn = E.functions[this.key];
    var hidden = fn.torch && !this.asTorch ? fn.torch.params : [];
    this.sliderSpecs().forEach(function (p) {
      var v = p.value;
      var raw;
      if (state && state[p.name] !== undefined) {
        raw = state[p.name];
        v = raw.trim() ? Number(raw) : NaN;
        if (!Number.isFinite(v) || v < p.min || v > p.max) {
          var why = " is not between " + fmt(p.min) + " and " + fmt(p.max) + ": showing " + fmt(p.value);
          rejected[p.name] = "The link's value " + raw + why + ".";
          short[p.name] = p.name + " " + raw + why;
          v = p.value;
        }
      }
      // a value from a link goes to the slider's grid, so that plot and slider agree
      if (v !== p.value) {
        var snapped = +(p.min + Math.round((v - p.min) / p.step) * p.step).toPrecision(12);
        // a hidden slider's value is not shown until its form is: it is kept
        var verb = hidden.indexOf(p) >= 0 ? " kept as " : " shown as ";
        if (snapped !== v) notes.push(p.name + " " + raw + verb + fmt(snapped) + " (the slider's step)");
        v = snapped;
      }
      params[p.name] = v;
    });
    this.params = params;
    this.rejected = rejected;
    this.rejectedShort = short;
    this.linkNotes = notes;
  };

  Explorer.prototype.slider = function (p, box) {
    var self = this;
    var lab = el("label", { class: "dlg-explorer__field" });
    lab.appendChild(el("span", {}, p.label === p.name ? p.name : p.label + " (" + p.name + ")"));
    var input = el("input", { type: "range", min: p.min, max: p.max, step: p.step, value: self.params[p.name] });
    var out = el("output", { "aria-live": "off" }, fmt(self.params[p.name]));
    var error = errorBox(this.uid + "-" + p.name + "-error");
    // The plot follows every step; the address only the end of a drag (WebKit refuses
    // more than about 100 replaceState calls in a short time).
    input.addEventListener("input", function () {
      self.params[p.name] = Number(input.value);
      out.textContent = fmt(self.params[p.name]);
      delete self.rejected[p.name];
      tell([input], error, "");
      self.update(false);
    });
    input.addEventListener("change", function () {
      self.update(true);
    });
    lab.appendChild(input);
    lab.appendChild(out);
    box.appendChild(lab);
    box.appendChild(error);
    if (this.rejected[p.name]) tell([input], error, this.rejected[p.name]);
  };

  Explorer.prototype.buildSliders = function () {
    var self = this;
    var fn = E.functions[this.key];
    this.sliders.textContent = "";
    fn.params.forEach(function (p) {
      self.slider(p, self.sliders);
    });
    if (!fn.torch) return;
    // Where PyTorch's function is not quite the formula (softplus's threshold): a box
    // that switches the plot to what it computes, with that form's own sliders.
    var lab = el("label", { class: "dlg-explorer__field" });
    var box = el("input", { type: "checkbox" });
    box.checked = this.asTorch;
    lab.appendChild(box);
    lab.appendChild(el("span", {}, "As " + fn.torch.name + " computes it"));
    this.sliders.appendChild(lab);
    var extra = el("div", { class: "dlg-explorer__sliders" });
    extra.hidden = !this.asTorch;
    fn.torch.params.forEach(function (p) {
      self.slider(p, extra);
    });
    this.sliders.appendChild(extra);
    box.addEventListener("change", function () {
      self.asTorch = box.checked;
      extra.hidden = !box.checked;
      self.update(true);
    });
  };

  // The parameters of the function as plotted (with its torch form's when that is shown).
  Explorer.prototype.shownParams = function () {
    var fn = E.functions[this.key];
    return fn.params.concat(this.asTorch ? fn.torch.params : []);
  };

  Explorer.prototype.functionsShown = function () {
    var self = this;
    var fn = E.functions[this.key];
    var form = this.asTorch ? fn.torch : fn;
    // the legend and the readout name the torch form: "Softplus (as F.softplus)"
    var title = fn.title + (this.asTorch ? " (as " + fn.torch.name + ")" : "");
    var shown = [{ key: this.key, title: title, params: this.params, f: form.f, df: form.df }];
    this.compare.forEach(function (k) {
      if (k !== self.key && shown.length < 1 + MAX_COMPARE) {
        var p = {};
        E.functions[k].params.forEach(function (q) {
          p[q.name] = q.value;
        });
        shown.push({ key: k, title: E.functions[k].title, params: p, f: E.functions[k].f, df: E.functions[k].df });
      }
    });
    return shown;
  };

  Explorer.prototype.update = function (writeUrl) {
    var fn = E.functions[this.key];
    var self = this;
    // the reader changed the view: what the link asked for is no longer the question
    if (writeUrl && this.linkNote) this.linkNote.hidden = true;
    var paramText = this.shownParams().map(function (p) {
      return p.name + " = " + fmt(self.params[p.name]);
    }).join(", ");
    var name = fn.title + (this.asTorch ? " as " + fn.torch.name + " computes it" : "");
    this.title.textContent = "Explore " + name + (paramText ? " (" + paramText + ")" : "");
    // the boxes are rewritten to the range shown: a message about what they held is stale
    this.lo.value = this.range[0];
    this.hi.value = this.range[1];
    tell([this.lo, this.hi], this.rangeError, "");
    this.canvas.setAttribute("aria-valuemin", this.range[0]);
    this.canvas.setAttribute("aria-valuemax", this.range[1]);
    // the cursor stays inside a range that changed
    if (this.cursor !== null) {
      this.cursor = Math.min(this.range[1], Math.max(this.range[0], this.cursor));
    } else {
      // a slider needs a value: the middle, where the arrow keys start
      this.canvas.setAttribute("aria-valuenow", (this.range[0] + this.range[1]) / 2);
    }
    var shown = this.functionsShown();
    this.canvas.setAttribute(
      "aria-label",
      "Interactive plot of " +
        shown.map(function (s, i) {
          return (i ? E.functions[s.key].title : name) + " (f " + STYLES[i].fName + ", f′ " + STYLES[i].dfName + ")";
        }).join(", ") +
        ", for x from " + fmt(this.range[0]) +
        " to " + fmt(this.range[1]) + (paramText ? ", with " + paramText : "") + "."
    );
    this.legend.textContent = "";
    shown.forEach(function (s, i) {
      var t = s.title;
      var li = el("li");
      li.appendChild(document.createTextNode(t + ": f " + STYLES[i].fName + ", f′ " + STYLES[i].dfName));
      self.legend.appendChild(li);
    });
    // the convention is worked out for the parameters the page checks (the card's): said so
    // when others are shown
    var atDefaults = fn.params.every(function (p) {
      return self.params[p.name] === p.value;
    });
    this.convention.textContent = (fn.convention
      ? "At a kink, f′ is the value PyTorch's autograd returns" + (atDefaults
        ? " (with the parameters the page checks, as here: " + fn.convention + "). "
        : ". With the parameters the page checks, not the ones shown: " + fn.convention +
          ". ")
      : "") + ((this.asTorch ? fn.torch.note : fn.reference_note) || "") +
      (this.asTorch ? " For the settings shown, the switch is at x = " +
        fn.torch.switches(this.params).map(fmt).join(", ") + "." : "");
    this.link.setAttribute("href", this.stateHash());
    if (writeUrl) history.replaceState(history.state, "", this.stateHash());
    this.draw();
  };

  Explorer.prototype.stateHash = function () {
    var self = this;
    var parts = ["explore=" + this.key];
    if (this.asTorch) parts.push("torch=1");
    this.shownParams().forEach(function (p) {
      parts.push(p.name + "=" + self.params[p.name]);
    });
    parts.push("range=" + this.range[0] + "," + this.range[1]);
    if (this.compare.length) parts.push("compare=" + this.compare.join(","));
    return "#" + parts.join("&");
  };

  Explorer.prototype.xAt = function (px) {
    var w = this.canvas.clientWidth;
    var m = this.margin;
    var t = Math.min(1, Math.max(0, (px - m) / (w - 2 * m)));
    return this.range[0] + t * (this.range[1] - this.range[0]);
  };

  Explorer.prototype.draw = function () {
    var c = this.canvas;
    var w = c.clientWidth, h = c.clientHeight;
    if (!w || !h) return;
    var dpr = window.devicePixelRatio || 1;
    if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
      c.width = Math.round(w * dpr);
      c.height = Math.round(h * dpr);
    }
    var ctx = c.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    var style = getComputedStyle(this.root);
    var fg = style.getPropertyValue("--md-typeset-color").trim() || "#000";
    var dark = document.body.getAttribute("data-md-color-scheme") === "slate";
    var colours = COLOURS[dark ? "dark" : "light"];
    ctx.clearRect(0, 0, w, h);
    var m = (this.margin = 48);
    var lo = this.range[0], hi = this.range[1];
    var n = Math.max(200, Math.round(w * 2));
    var shown = this.functionsShown();
    var series = [];
    var ymin = Infinity, ymax = -Infinity;
    shown.forEach(function (s) {
      var fn = E.functions[s.key];
      var xs = [], fs = [], ds = [];
      for (var i = 0; i <= n; i++) {
        var xv = lo + (i / n) * (hi - lo);
        var fv = s.f(xv, s.params), dv = s.df(xv, s.params);
        xs.push(xv); fs.push(fv); ds.push(dv);
        [fv, dv].forEach(function (v) {
          if (Number.isFinite(v)) {
            ymin = Math.min(ymin, v);
            ymax = Math.max(ymax, v);
          }
        });
      }
      series.push({ fn: fn, s: s, xs: xs, fs: fs, ds: ds });
    });
    if (!(ymin < ymax)) {
      ymin = (ymin || 0) - 1;
      ymax = (ymax || 0) + 1;
    }
    var pad = 0.05 * (ymax - ymin);
    ymin -= pad;
    ymax += pad;
    function X(v) {
      return m + ((v - lo) / (hi - lo)) * (w - 2 * m);
    }
    function Y(v) {
      return h - m + -((v - ymin) / (ymax - ymin)) * (h - 2 * m);
    }
    // axes and ticks
    ctx.strokeStyle = fg;
    ctx.fillStyle = fg;
    ctx.globalAlpha = 0.5;
    ctx.lineWidth = 1;
    ctx.setLineDash([]);
    ctx.beginPath();
    if (lo < 0 && hi > 0) { ctx.moveTo(X(0), m); ctx.lineTo(X(0), h - m); }
    if (ymin < 0 && ymax > 0) { ctx.moveTo(m, Y(0)); ctx.lineTo(w - m, Y(0)); }
    ctx.rect(m, m, w - 2 * m, h - 2 * m);
    ctx.stroke();
    ctx.globalAlpha = 1;
    ctx.font = "12px sans-serif";
    ctx.textAlign = "center";
    ctx.fillText(fmt(lo), m, h - m + 16);
    ctx.fillText(fmt(hi), w - m, h - m + 16);
    ctx.textAlign = "right";
    ctx.fillText(fmt(+ymax.toPrecision(3)), m - 4, m + 4);
    ctx.fillText(fmt(+ymin.toPrecision(3)), m - 4, h - m);
    ctx.save();
    ctx.beginPath();
    ctx.rect(m, m, w - 2 * m, h - 2 * m);
    ctx.clip();
    series.forEach(function (sr, i) {
      ctx.strokeStyle = colours[i];
      [["fs", STYLES[i].f, 2.5], ["ds", STYLES[i].df, 1.75]].forEach(function (spec) {
        var ys = sr[spec[0]];
        ctx.setLineDash(spec[1]);
        ctx.lineWidth = spec[2];
        ctx.beginPath();
        var pen = false;
        var span = ymax - ymin;
        for (var k = 0; k < ys.length; k++) {
          var y = ys[k];
          // A jump (the step; f' at a kink) is not joined by a vertical line: a change far
          // larger than its neighbours' is a jump, not a steep stretch of curve.
          var jump = false;
          if (k > 0) {
            var d = Math.abs(y - ys[k - 1]);
            var before = k > 1 ? Math.abs(ys[k - 1] - ys[k - 2]) : 0;
            var after = k + 1 < ys.length ? Math.abs(ys[k + 1] - y) : 0;
            jump = d > 0.004 * span && d > 8 * Math.max(before, after);
          }
          if (!Number.isFinite(y) || jump) pen = false;
          if (!Number.isFinite(y)) continue;
          if (pen) ctx.lineTo(X(sr.xs[k]), Y(y));
          else ctx.moveTo(X(sr.xs[k]), Y(y));
          pen = true;
        }
        ctx.stroke();
      });
    });
    ctx.restore();
    ctx.setLineDash([]);
    if (this.cursor !== null) {
      var cx = this.cursor;
      ctx.strokeStyle = fg;
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(X(cx), m);
      ctx.lineTo(X(cx), h - m);
      ctx.stroke();
      var main = series[0];
      var fv = main.s.f(cx, main.s.params), dv = main.s.df(cx, main.s.params);
      [fv, dv].forEach(function (v, j) {
        if (Number.isFinite(v) && v >= ymin && v <= ymax) {
          ctx.fillStyle = colours[0];
          ctx.beginPath();
          ctx.arc(X(cx), Y(v), j ? 3 : 4, 0, 2 * Math.PI);
          ctx.fill();
        }
      });
      var text = "x = " + fmt(cx) + ", " + main.s.title + ": f(x) = " + fmt(fv) + ", f′(x) = " + fmt(dv);
      series.slice(1).forEach(function (sr) {
        text += "; " + sr.s.title + ": f(x) = " + fmt(sr.s.f(cx, sr.s.params)) + ", f′(x) = " + fmt(sr.s.df(cx, sr.s.params));
      });
      if (this.readout.textContent !== text) this.readout.textContent = text;
      this.canvas.setAttribute("aria-valuenow", cx);
      this.canvas.setAttribute("aria-valuetext", text);
    } else if (!this.readout.textContent) {
      this.readout.textContent = "No point chosen yet.";
      this.canvas.setAttribute("aria-valuetext", this.readout.textContent);
    }
  };

  Explorer.prototype.stop = function () {
    this.resize.disconnect();
    this.scheme.disconnect();
    this.stopped = true;
  };

  // Softmax is not element-wise: bars of softmax_T(z) for a small logit vector the reader
  // edits, and a temperature slider. Its function, too, is printed from the page's formula.
  function SoftmaxExplorer(root) {
    var self = this;
    var S = E.softmax;
    var uid = "dlg-x-" + Math.random().toString(36).slice(2, 8);
    this.root = root;
    this.params = { T: S.params[0].value };
    this.logits = S.logits.slice();
    var state = parseHash();
    var tError = "", zError = "";
    var linkNotes = [];
    if (state && state.explore === "softmax") {
      var p0 = S.params[0];
      if (state.T !== undefined) {
        var t = state.T.trim() ? Number(state.T) : NaN;
        if (t >= p0.min && t <= p0.max) {
          // to the slider's grid, so that plot and slider agree, and told if it moved
          this.params.T = +(p0.min + Math.round((t - p0.min) / p0.step) * p0.step).toPrecision(12);
          if (this.params.T !== t) {
            linkNotes.push("T " + state.T + " shown as " + fmt(this.params.T) + " (the slider's step)");
          }
        } else {
          tError = "The link's value " + state.T + " is not between " + fmt(p0.min) +
            " and " + fmt(p0.max) + ": showing " + fmt(p0.value) + ".";
        }
      }
      if (state.logits !== undefined) {
        var z = this.parse(state.logits);
        if (z) this.logits = z;
        else zError = "The link's logits " + state.logits + " were not used. " + this.help;
      }
    }
    root.textContent = "";
    root.hidden = false;
    this.title = el("p", { class: "dlg-explorer__title" }, "Explore softmax with temperature");
    root.appendChild(this.title);
    var controls = el("div", { class: "dlg-explorer__controls" });
    var lab = el("label", { class: "dlg-explorer__field" });
    lab.appendChild(el("span", {}, "Logits (2 to 8, comma-separated)"));
    this.input = el("input", { type: "text", value: this.logits.join(", "), size: "16" });
    lab.appendChild(this.input);
    controls.appendChild(lab);
    this.inputError = errorBox(uid + "-logits-error");
    controls.appendChild(this.inputError);
    var p = S.params[0];
    var tl = el("label", { class: "dlg-explorer__field" });
    tl.appendChild(el("span", {}, "Temperature T"));
    this.slider = el("input", { type: "range", min: p.min, max: p.max, step: p.step, value: this.params.T });
    this.out = el("output", { "aria-live": "off" }, fmt(this.params.T));
    tl.appendChild(this.slider);
    tl.appendChild(this.out);
    controls.appendChild(tl);
    this.sliderError = errorBox(uid + "-T-error");
    controls.appendChild(this.sliderError);
    if (tError) tell([this.slider], this.sliderError, tError);
    if (zError) tell([this.input], this.inputError, zError);
    // as in the element-wise explorer: what the link asked for that is shown otherwise
    this.linkNote = el("p", { class: "dlg-explorer__error", role: "status" });
    this.linkNote.textContent = linkNotes.length ? "From the link: " + linkNotes.join("; ") + "." : "";
    this.linkNote.hidden = !linkNotes.length;
    controls.appendChild(this.linkNote);
    root.appendChild(controls);
    this.canvas = el("canvas", { class: "dlg-explorer__plot", role: "img" });
    root.appendChild(this.canvas);
    this.readout = el("p", { class: "dlg-explorer__readout", "aria-live": "polite", role: "status", id: uid });
    root.appendChild(this.readout);
    var share = el("p", { class: "dlg-explorer__note" });
    this.link = el("a", { class: "dlg-explorer__link" }, "Link to this view");
    this.link.addEventListener("click", function (ev) {
      ev.preventDefault();
      history.replaceState(history.state, "", self.link.getAttribute("href"));
    });
    share.appendChild(this.link);
    root.appendChild(share);
    this.slider.addEventListener("input", function () {
      tell([self.slider], self.sliderError, "");
      self.params.T = Number(self.slider.value);
      self.out.textContent = fmt(self.params.T);
      self.update(false);
    });
    this.slider.addEventListener("change", function () {
      self.update(true);
    });
    this.input.addEventListener("change", function () {
      var z = self.parse(self.input.value);
      if (!z) {
        // the box keeps what the reader typed; the bars keep the last valid logits
        tell([self.input], self.inputError, self.help + " The bars still show " +
          self.logits.join(", ") + ".");
        return;
      }
      tell([self.input], self.inputError, "");
      self.logits = z;
      self.input.value = self.logits.join(", ");
      self.update(true);
    });
    this.resize = new ResizeObserver(function () {
      self.draw();
    });
    this.resize.observe(this.canvas);
    this.scheme = new MutationObserver(function () {
      self.draw();
    });
    this.scheme.observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
    this.update(false);
  }

  SoftmaxExplorer.prototype.help =
    "Enter 2 to 8 numbers between −10000 and 10000, separated by commas.";

  SoftmaxExplorer.prototype.parse = function (text) {
    var parts = text.split(",");
    // Number("") is 0: an empty entry ("1,,2", a trailing comma) is an error, not a 0
    if (parts.some(function (v) { return !v.trim(); })) return null;
    var z = parts.map(function (v) {
      return Number(v.trim());
    });
    var ok = z.length >= 2 && z.length <= 8 && z.every(function (v) {
      return Number.isFinite(v) && Math.abs(v) <= LIMIT;
    });
    return ok ? z : null;
  };

  SoftmaxExplorer.prototype.update = function (writeUrl) {
    this.probs = E.softmax.f(this.logits, this.params);
    var hash = "#explore=softmax&T=" + this.params.T + "&logits=" + this.logits.join(",");
    this.link.setAttribute("href", hash);
    if (writeUrl) history.replaceState(history.state, "", hash);
    if (writeUrl) this.linkNote.hidden = true; // the reader changed the view
    var text = "T = " + fmt(this.params.T) + ": " + this.logits.map(function (z, i) {
      return "logit " + fmt(z) + " → " + fmt(this.probs[i]);
    }, this).join(", ");
    this.readout.textContent = text;
    this.canvas.setAttribute("aria-label", "Bar chart of softmax probabilities. " + text + ".");
    this.draw();
  };

  SoftmaxExplorer.prototype.draw = function () {
    var c = this.canvas;
    var w = c.clientWidth, h = c.clientHeight;
    if (!w || !h || !this.probs) return;
    var dpr = window.devicePixelRatio || 1;
    c.width = Math.round(w * dpr);
    c.height = Math.round(h * dpr);
    var ctx = c.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    var fg = getComputedStyle(this.root).getPropertyValue("--md-typeset-color").trim() || "#000";
    var dark = document.body.getAttribute("data-md-color-scheme") === "slate";
    var m = 28, n = this.probs.length, slot = (w - 2 * m) / n;
    ctx.clearRect(0, 0, w, h);
    ctx.strokeStyle = fg;
    ctx.fillStyle = fg;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(m, h - m);
    ctx.lineTo(w - m, h - m);
    ctx.stroke();
    ctx.font = "12px sans-serif";
    ctx.textAlign = "center";
    // A label is drawn only where it fits its slot (the readout has every value); three
    // significant figures, as computed.
    this.drawnLabels = [];
    for (var i = 0; i < n; i++) {
      var p = this.probs[i], bh = p * (h - 2 * m - 14);
      var x0 = m + i * slot + slot * 0.15;
      ctx.fillStyle = COLOURS[dark ? "dark" : "light"][0];
      ctx.fillRect(x0, h - m - bh, slot * 0.7, bh);
      ctx.fillStyle = fg;
      var labels = [
        [p.toPrecision(3).replace("-", "−"), h - m - bh - 4],
        ["z = " + fmt(this.logits[i]), h - m + 16],
      ];
      for (var j = 0; j < labels.length; j++) {
        var width = ctx.measureText(labels[j][0]).width;
        if (width > slot - 2) continue;
        ctx.fillText(labels[j][0], x0 + slot * 0.35, labels[j][1]);
        this.drawnLabels.push({ text: labels[j][0], width: width, slot: slot });
      }
    }
  };

  SoftmaxExplorer.prototype.stop = function () {
    this.resize.disconnect();
    this.scheme.disconnect();
    this.stopped = true;
  };

  E.mount = function (root) {
    if (root.dlgExplorer) return null;
    var key = root.getAttribute("data-explorer");
    if (key === "softmax" && E.softmax) {
      root.dlgExplorer = new SoftmaxExplorer(root);
      live.push(root.dlgExplorer);
      return root.dlgExplorer;
    }
    if (!E.functions || !E.functions[key]) return null;
    var x = new Explorer(root);
    root.dlgExplorer = x;
    live.push(x);
    return x;
  };

  // Instant navigation replaced the page: stop observing the old explorers.
  E.stopAll = function () {
    live.forEach(function (x) {
      x.stop();
    });
    live = [];
  };
  E.live = function () {
    return live.slice();
  };
  E.fmt = fmt;
})();
