// The harvest-lot code of a delivery, derived from its id exactly as the server does
// (labels/harvest_lot_codes.py), so the receipt can be printed before anything is sent.
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS = 13;

function checkValue(body) {
  // ISO/IEC 7064 MOD 37-2, as batch lot codes carry it.
  let total = 0;
  for (const char of body) total = ((total + ALPHABET.indexOf(char)) * 2) % 37;
  return (((1 - total) % 37) + 37) % 37;
}

export function harvestLotCode(id) {
  let number = BigInt("0x" + id.replace(/-/g, "").slice(0, 16));
  let digits = "";
  for (let i = 0; i < DIGITS; i += 1) {
    digits = ALPHABET[Number(number % 36n)] + digits;
    number /= 36n;
  }
  for (const prefix of ["H", "J"]) {
    const value = checkValue(prefix + digits);
    if (value < ALPHABET.length) return prefix + digits + ALPHABET[value];
  }
  throw new Error("unreachable");
}
