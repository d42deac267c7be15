/* A dictionary with the same keys as another, every leaf a string: how a translation is typed
 * against the zh-CN original so that no key is missing. */
export type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };
