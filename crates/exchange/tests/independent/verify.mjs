// Independent check of yici's e-certificates: verifies SD-JWT VC
// presentations and token status lists written by the Rust test
// crates/exchange/tests/independent.rs with the @sd-jwt packages (an
// implementation yici did not write) and node:crypto for Ed25519 (RFC 8037),
// which @sd-jwt/crypto-nodejs 0.19 does not offer.
//
// Usage: node verify.mjs CASES.json
// Prints "N checked" (and "N passed, 0 failed") and exits 0 when every case
// has the expected outcome; prints each mismatch and exits 1 otherwise.

import { createHash, createPublicKey, verify as edVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';

import { digest } from '@sd-jwt/crypto-nodejs';
import { decodeSdJwt, unpack } from '@sd-jwt/decode';
import { getListFromStatusListJWT } from '@sd-jwt/jwt-status-list';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';

// Claims an SD-JWT VC carries in the clear; everything else was disclosed.
const CLEAR = new Set(['iss', 'sub', 'iat', 'exp', 'nbf', 'vct', 'status', 'cnf', '_sd', '_sd_alg']);

const b64json = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

// RFC 7638 thumbprint of an OKP key: SHA-256 over {"crv","kty","x"} in order.
const thumbprint = (jwk) =>
  createHash('sha256')
    .update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x }))
    .digest('base64url');

// A JWS verifier for @sd-jwt: finds the key by the header's kid in the JWKS.
const ed25519Verifier = (jwks) => async (data, signatureB64url) => {
  const header = b64json(data.split('.')[0]);
  if (header.alg !== 'EdDSA') throw new Error(`unsupported alg ${header.alg}`);
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  if (!jwk) throw new Error(`unknown_key ${header.kid}`);
  const key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' });
  return edVerify(null, Buffer.from(data), key, Buffer.from(signatureB64url, 'base64url'));
};

function outcomeOfError(err) {
  const message = String(err?.message ?? err);
  if (message.includes('unknown_key')) return 'unknown_key';
  if (message.includes('Invalid JWT Signature')) return 'bad_signature';
  if (message.includes('expired')) return 'expired';
  if (message.includes('not yet valid')) return 'not_yet_valid';
  if (message.includes('Index out of bounds')) return 'out_of_range';
  return `error: ${message}`;
}

async function check(c) {
  const problems = [];
  const jwks = c.jwks;
  for (const k of jwks.keys) {
    if (k.kty !== 'OKP' || k.crv !== 'Ed25519') problems.push(`key ${k.kid} is not OKP/Ed25519`);
    if (thumbprint(k) !== k.kid) problems.push(`kid ${k.kid} is not the RFC 7638 thumbprint`);
  }
  const header = b64json(c.presentation.split('~')[0].split('.')[0]);
  if (header.typ !== 'dc+sd-jwt') problems.push(`typ ${header.typ} is not dc+sd-jwt`);

  let seenStatus;
  const sdjwt = new SDJwtVcInstance({
    hasher: digest,
    verifier: ed25519Verifier(jwks),
    statusVerifier: ed25519Verifier(jwks),
    statusListFetcher: async (uri) => {
      if (uri !== c.status_uri) throw new Error(`unexpected status list ${uri}`);
      return c.status_list_token;
    },
    statusValidator: async (status) => {
      seenStatus = status;
    },
  });

  let outcome;
  let disclosed;
  try {
    const result = await sdjwt.verify(c.presentation, { currentDate: c.now });
    // @sd-jwt 0.19 ignores a disclosure whose digest the issuer did not
    // sign; RFC 9901 §7.1 says reject. Count what the library matched.
    const { jwt, disclosures } = await decodeSdJwt(c.presentation, digest);
    const { disclosureKeymap } = await unpack(jwt.payload, disclosures, digest);
    if (Object.keys(disclosureKeymap).length !== disclosures.length) {
      outcome = 'tampered';
    } else {
      outcome = { 0: 'valid', 1: 'revoked', 2: 'suspended' }[seenStatus] ?? `status ${seenStatus}`;
      disclosed = Object.fromEntries(Object.entries(result.payload).filter(([k]) => !CLEAR.has(k)));
      if (result.payload.iss !== c.expect.iss) problems.push(`iss ${result.payload.iss}`);
      if (result.payload.sub !== c.expect.sub) problems.push(`sub ${result.payload.sub}`);
      if (result.payload.vct !== c.expect.vct) problems.push(`vct ${result.payload.vct}`);
    }
  } catch (err) {
    outcome = outcomeOfError(err);
  }

  if (outcome !== c.expect.outcome) problems.push(`outcome ${outcome}, expected ${c.expect.outcome}`);
  if (c.expect.disclosed && !isDeepStrictEqual(disclosed, c.expect.disclosed)) {
    problems.push(`disclosed ${JSON.stringify(disclosed)}, expected ${JSON.stringify(c.expect.disclosed)}`);
  }
  // The status list on its own, read by @sd-jwt/jwt-status-list.
  if (c.expect.list_status != null) {
    const list = getListFromStatusListJWT(c.status_list_token);
    const value = c.status_idx < list.statusList.length ? list.getStatus(c.status_idx) : 'out_of_range';
    if (value !== c.expect.list_status) problems.push(`list status ${value}, expected ${c.expect.list_status}`);
  }
  return problems;
}

const file = process.argv[2];
if (!file) {
  console.error('usage: node verify.mjs CASES.json');
  process.exit(2);
}
const { cases } = JSON.parse(readFileSync(file, 'utf8'));
let failed = 0;
for (const c of cases) {
  const problems = await check(c);
  if (problems.length > 0) {
    failed += 1;
    console.error(`MISMATCH ${c.name}: ${problems.join('; ')}`);
  }
}
console.log(`${cases.length} checked`);
console.log(`${cases.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 && cases.length > 0 ? 0 : 1);
