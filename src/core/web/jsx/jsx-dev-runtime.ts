/** The development entry of the JSX runtime (tsx compiles with it): the same functions as jsx-runtime.ts. */
export { Fragment, type JSX, jsx, jsxDEV, jsxs } from "./jsx-runtime.ts";
