// oidc-provider ships no types (its @types package is not installed): the test provider uses it untyped.
declare module "oidc-provider";
