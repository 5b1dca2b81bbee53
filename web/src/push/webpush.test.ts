import { describe, expect, it } from "vitest";
import { PushKeyError, encryptPush, fromBase64url, toBase64url } from "./webpush";

// RFC 8291 Appendix A.
const RFC = {
  plaintext: "When I grow up, I want to be a watermelon",
  asPrivate: "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw",
  asPublic: "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8",
  uaPublic: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
  salt: "DGv6ra1nlYgDCS1FRnbzlw",
  auth: "BTBZMqHH6r4Tts7J_aSIgg",
  body:
    "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN",
};

async function rfcSender() {
  const publicRaw = fromBase64url(RFC.asPublic);
  const jwk: JsonWebKey = {
    kty: "EC",
    crv: "P-256",
    d: RFC.asPrivate,
    x: toBase64url(publicRaw.slice(1, 33)),
    y: toBase64url(publicRaw.slice(33, 65)),
  };
  const privateKey = await crypto.subtle.importKey("jwk", jwk, { name: "ECDH", namedCurve: "P-256" }, false, ["deriveBits"]);
  return { privateKey, publicRaw };
}

describe("Web Push encryption (RFC 8291)", () => {
  it("reproduces the RFC's Appendix A message byte for byte", async () => {
    const body = await encryptPush(
      { p256dh: RFC.uaPublic, auth: RFC.auth },
      new TextEncoder().encode(RFC.plaintext),
      { salt: fromBase64url(RFC.salt), sender: await rfcSender() },
    );
    expect(toBase64url(body)).toBe(RFC.body);
  });

  it("uses a fresh salt and sender key for every message (a push service cannot link two)", async () => {
    const target = { p256dh: RFC.uaPublic, auth: RFC.auth };
    const text = new TextEncoder().encode("Bob added Pizza €32.40");
    const [a, b] = await Promise.all([encryptPush(target, text), encryptPush(target, text)]);
    expect(toBase64url(a.slice(0, 16))).not.toBe(toBase64url(b.slice(0, 16)));
    expect(toBase64url(a.slice(21, 86))).not.toBe(toBase64url(b.slice(21, 86)));
    expect(new TextDecoder().decode(a)).not.toContain("Pizza");
  });

  it("Hostile member: a malformed subscription key or an oversize text is refused, not sent", async () => {
    const text = new TextEncoder().encode("x");
    await expect(encryptPush({ p256dh: "AAAA", auth: RFC.auth }, text)).rejects.toBeInstanceOf(PushKeyError);
    await expect(encryptPush({ p256dh: RFC.uaPublic, auth: "AAAA" }, text)).rejects.toBeInstanceOf(PushKeyError);
    const notOnCurve = toBase64url(Uint8Array.of(4, ...new Uint8Array(64).fill(1)));
    await expect(encryptPush({ p256dh: notOnCurve, auth: RFC.auth }, text)).rejects.toBeInstanceOf(PushKeyError);
    await expect(encryptPush({ p256dh: RFC.uaPublic, auth: RFC.auth }, new Uint8Array(4000))).rejects.toBeInstanceOf(
      PushKeyError,
    );
  });
});
