import type { Catalog } from "./en";

export const fr = {} as Catalog;
