// Helpers the printed functions call (docs_build/explorer.py prints calls to them): JavaScript
// has no erf, and the naive sigmoid and softplus overflow where PyTorch's do not.
// tests/activations/test_explorer.py checks each against mpmath and torch (float64).

// erf(x), to within a few units in the last place. For |x| < 2.5 the series
//   erf(x) = 2/sqrt(pi) * exp(-x^2) * sum_n 2^n x^(2n+1) / (1*3*...*(2n+1)),
// whose terms are all positive (no cancellation); beyond, 1 - erfc(x) with erfc from its
// continued fraction erfc(x) = exp(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))),
// evaluated backwards from a fixed depth.
function erfc_cf(x) {
  var t = x;
  for (var n = 120; n >= 1; n--) t = x + (n / 2) / t;
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / t;
}

function erf(x) {
  if (x !== x) return NaN;
  var ax = Math.abs(x);
  if (ax >= 2.5) {
    var e = ax > 27 ? 1 : 1 - erfc_cf(ax);
    return x < 0 ? -e : e;
  }
  var x2 = x * x, term = x, sum = x;
  for (var n = 1; n < 200; n++) {
    term *= 2 * x2 / (2 * n + 1);
    sum += term;
    if (Math.abs(term) <= 1e-17 * Math.abs(sum)) break;
  }
  return 2 / Math.sqrt(Math.PI) * Math.exp(-x2) * sum;
}

// The logistic sigmoid 1/(1 + e^-x), without overflow for large |x|.
function sigma(x) {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  var e = Math.exp(x);
  return e / (1 + e);
}

// softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^-|x|), without overflow.
function softplus(x) {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

// sum of term(k) for k = lo..hi (a printed sympy Sum)
function sumOver(term, lo, hi) {
  var s = 0;
  for (var k = lo; k <= hi; k++) s += term(k);
  return s;
}
