// Client-side TLS of a DestinationRule traffic policy: how the proxy connects to the upstream (Istio mTLS,
// TLS to an external server, mutual TLS with its own client certificate, or plain text).
import { JsonMap } from '../core/json';

/** Options common to the TLS client modes. */
export interface ClientTlsBaseOptions {
  /**
   * SNI to present.
   * @default - the upstream host (Istio's default for SIMPLE/MUTUAL since 1.x auto-SNI)
   */
  readonly sni?: string;
  /**
   * Subject alternative names the server certificate must carry.
   * @default - not checked beyond the CA
   */
  readonly subjectAltNames?: string[];
}

/** Options of `ClientTls.simple`. */
export interface SimpleClientTlsOptions extends ClientTlsBaseOptions {
  /**
   * Path of the CA bundle that verifies the server (in the proxy's file system).
   * @default - the system or Istio default CA when one is configured
   */
  readonly caCertificates?: string;
  /**
   * A Secret (in the namespace of the client proxy, usually the egress gateway) with `ca.crt`.
   * @default - none
   */
  readonly credentialName?: string;
  /**
   * Skip verification of the server certificate. Insecure.
   * @default false
   */
  readonly insecureSkipVerify?: boolean;
}

/** Options of `ClientTls.mutual`. */
export interface MutualClientTlsOptions extends SimpleClientTlsOptions {
  /**
   * Path of the client certificate; required unless `credentialName` is given.
   * @default - from `credentialName`
   */
  readonly clientCertificate?: string;
  /**
   * Path of the client private key; required unless `credentialName` is given.
   * @default - from `credentialName`
   */
  readonly privateKey?: string;
}

/**
 * How the proxy opens TLS to the upstream.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#ClientTLSSettings
 */
export class ClientTls {
  /** Istio mutual TLS with the mesh certificates. */
  public static istioMutual(options: ClientTlsBaseOptions = {}): ClientTls {
    return new ClientTls({ mode: 'ISTIO_MUTUAL', sni: options.sni, subjectAltNames: options.subjectAltNames });
  }

  /** TLS to the upstream, verifying its certificate (TLS origination). */
  public static simple(options: SimpleClientTlsOptions = {}): ClientTls {
    return new ClientTls({ mode: 'SIMPLE', ...simpleFields(options) });
  }

  /** Mutual TLS with a client certificate of your own. */
  public static mutual(options: MutualClientTlsOptions): ClientTls {
    return new ClientTls({ mode: 'MUTUAL', clientCertificate: options.clientCertificate, privateKey: options.privateKey, ...simpleFields(options) });
  }

  /** Plain text, no TLS. */
  public static disable(): ClientTls {
    return new ClientTls({ mode: 'DISABLE' });
  }

  private constructor(private readonly json: JsonMap & { readonly mode: string }) {}

  /** The TLS mode. */
  public get mode(): string {
    return this.json.mode;
  }

  /** @internal */
  public _render(): JsonMap {
    return JSON.parse(JSON.stringify(this.json));
  }
}

function simpleFields(o: SimpleClientTlsOptions): JsonMap {
  return {
    caCertificates: o.caCertificates,
    credentialName: o.credentialName,
    sni: o.sni,
    subjectAltNames: o.subjectAltNames,
    insecureSkipVerify: o.insecureSkipVerify,
  };
}
