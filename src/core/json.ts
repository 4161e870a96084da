// The JSON the constructs render (internal): objects of unknown field values, so that rendering code is
// type-checked without `any`.

/** A rendered JSON object. @internal */
export type JsonMap = { [key: string]: unknown };
