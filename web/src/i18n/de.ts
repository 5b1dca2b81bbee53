import type { Catalog } from "./en";

export const de = {} as Catalog;
