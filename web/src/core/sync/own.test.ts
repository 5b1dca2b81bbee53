import { describe, expect, it } from "vitest";
import { OwnShares } from "./own";

const G = "ab".repeat(16);
const id = (n: number) => n.toString(16).padStart(32, "0");

describe("this phone's own shares", () => {
  it("are the shares its rounds put or asked the status of; lists, fetches and acks name others'", () => {
    const own = new OwnShares();
    own.note(`https://r1.example/v1/groups/${G}/shares/${id(1)}`, { method: "PUT", body: "{}" });
    own.note(`https://r1.example/v1/groups/${G}/status`, { method: "POST", body: new TextEncoder().encode(JSON.stringify({ shares: [id(2), id(3)] })) });
    own.note(`https://r1.example/v1/groups/${G}/shares/${id(4)}?member=m`, { method: "GET" });
    own.note(`https://r1.example/v1/groups/${G}/acks`, { method: "POST", body: JSON.stringify({ member: "m", shares: [id(5)] }) });
    expect([1, 2, 3, 4, 5].map((n) => own.has(id(n)))).toEqual([true, true, true, false, false]);
  });

  it("are noted from the simple form of a put too (a POST on the share's URL), never from a simple fetch", () => {
    const own = new OwnShares();
    own.note(`https://r1.example/v1/groups/${G}/shares/${id(6)}`, { method: "POST", body: JSON.stringify({ token: "t", method: "PUT", body: { data: "AA", recipients: [] } }) });
    own.note(`https://r1.example/v1/groups/${G}/shares/${id(7)}?member=m`, { method: "POST", body: JSON.stringify({ token: "t", method: "GET" }) });
    expect([6, 7].map((n) => own.has(id(n)))).toEqual([true, false]);
  });

  it("Hostile member: a body that is not a status request notes nothing; the list is bounded, oldest out", () => {
    const own = new OwnShares(2);
    own.note(`https://r1.example/v1/groups/${G}/status`, { method: "POST", body: "not json" });
    own.note(`https://r1.example/v1/groups/${G}/status`, { method: "POST", body: JSON.stringify({ shares: [1, id(1)] }) });
    own.note(`https://r1.example/v1/groups/${G}/status`, { method: "POST", body: JSON.stringify({ shares: [id(2), id(3)] }) });
    expect([1, 2, 3].map((n) => own.has(id(n)))).toEqual([false, true, true]);
  });
});
