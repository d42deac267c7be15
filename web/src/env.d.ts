/// <reference types="vite/client" />
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}

/* sm-crypto ships no types: only the SM2 verification the edition check uses. */
declare module 'sm-crypto' {
  export const sm2: {
    doVerifySignature(
      msg: string | Uint8Array | number[],
      signatureHex: string,
      publicKeyHex: string,
      options?: { der?: boolean; hash?: boolean; userId?: string },
    ): boolean;
  };
}
