import type { Catalog } from "./en";

export const es = {} as Catalog;
