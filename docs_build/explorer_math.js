// Helpers the printed functions call (docs_build/explorer.py prints calls to them): JavaScript
// has no erf, and the naive sigmoid and softplus overflow where PyTorch's do not.
// tests/activations/test_explorer.py checks each against mpmath and torch (float64).

// erf(x), within 1e-15 relative (tests/activations/test_explorer.py: 1e5 random points
// against mpmath). For |x| < 1 the series
//   erf(x) = 2/sqrt(pi) * exp(-x^2) * sum_n 2^n x^(2n+1) / (1*3*...*(2n+1)),
// whose terms are all positive (no cancellation); beyond, 1 - erfc(x) with erfc from its
// continued fraction erfc(x) = exp(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))),
// evaluated backwards from a fixed depth (200 terms: within 5e-16 relative for x >= 1).
// exp(-x^2) without the rounding of x^2 (which costs x^2 units in the last place): x is
// split into a 26-bit head and a tail (Veltkamp), so head^2 is exact.
function expmx2(x) {
  var c = x * 134217729;
  var hi = c - (c - x), lo = x - hi;
  return Math.exp(-hi * hi) * Math.exp(-(2 * hi * lo + lo * lo));
}

function erfc_cf(x) {
  var t = x;
  for (var n = 200; n >= 1; n--) t = x + (n / 2) / t;
  return expmx2(x) / Math.sqrt(Math.PI) / t;
}

function erf(x) {
  if (x !== x) return NaN;
  var ax = Math.abs(x);
  if (ax >= 1) {
    var e = ax > 27 ? 1 : 1 - erfc_cf(ax);
    return x < 0 ? -e : e;
  }
  var x2 = x * x, term = x, sum = x;
  for (var n = 1; n < 200; n++) {
    term *= 2 * x2 / (2 * n + 1);
    sum += term;
    if (Math.abs(term) <= 1e-17 * Math.abs(sum)) break;
  }
  return 2 / Math.sqrt(Math.PI) * expmx2(x) * sum;
}

// erfc(x) = 1 - erf(x), keeping the tail's digits where 1 - erf(x) would lose them: the
// continued fraction for x >= 1, 2 - erfc(-x) for x <= -2.5 (no cancellation: the result
// is near 2), 1 - erf(x) between (erfc > 0.15 there, so few digits go).
function erfc(x) {
  if (x !== x) return NaN;
  if (x >= 1) return x > 27.3 ? 0 : erfc_cf(x);
  if (x <= -2.5) return 2 - (x < -27.3 ? 0 : erfc_cf(-x));
  return 1 - erf(x);
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
