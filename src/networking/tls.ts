// Server-side TLS as Gateways (and Sidecar ingress listeners) declare it: the mode, where the certificate
// comes from, and protocol limits.

/**
 * How a server handles TLS.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/#ServerTLSSettings-TLSmode
 */
export enum ServerTlsMode {
  /** Terminate TLS with the server certificate (standard HTTPS). */
  SIMPLE = 'SIMPLE',
  /** Terminate TLS and require a client certificate signed by the configured CA. */
  MUTUAL = 'MUTUAL',
  /** Terminate TLS; verify a client certificate when one is presented. */
  OPTIONAL_MUTUAL = 'OPTIONAL_MUTUAL',
  /** Route by SNI and pass the TLS connection through unterminated, per the VirtualService `tls` routes. */
  PASSTHROUGH = 'PASSTHROUGH',
  /** Route by SNI to the service named in it, without a VirtualService (multi-network east-west gateways). */
  AUTO_PASSTHROUGH = 'AUTO_PASSTHROUGH',
  /** Terminate with Istio's mesh certificates (mTLS inside the mesh). */
  ISTIO_MUTUAL = 'ISTIO_MUTUAL',
}

/**
 * TLS protocol versions.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/#ServerTLSSettings-TLSProtocol
 */
export enum TlsProtocolVersion {
  /** Envoy's default. */
  TLS_AUTO = 'TLS_AUTO',
  /** TLS 1.0 (insecure; needs explicit cipher suites). */
  TLSV1_0 = 'TLSV1_0',
  /** TLS 1.1 (insecure; needs explicit cipher suites). */
  TLSV1_1 = 'TLSV1_1',
  /** TLS 1.2. */
  TLSV1_2 = 'TLSV1_2',
  /** TLS 1.3. */
  TLSV1_3 = 'TLSV1_3',
}

/** Certificate files mounted into the gateway pod. */
export interface CertificateFiles {
  /** Path of the PEM server certificate chain. */
  readonly serverCertificate: string;
  /** Path of the PEM private key. */
  readonly privateKey: string;
  /**
   * Path of the PEM CA bundle used to verify client certificates (MUTUAL, OPTIONAL_MUTUAL).
   * @default - no client verification bundle
   */
  readonly caCertificates?: string;
  /**
   * Path of a certificate revocation list.
   * @default - none
   */
  readonly caCrl?: string;
}

/**
 * Where a TLS server gets its certificate: exactly one source, by construction.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/#ServerTLSSettings
 */
export class ServerCertificate {
  /**
   * A Kubernetes Secret (or other credential) in the gateway's namespace, by name. For MUTUAL, the CA goes in
   * the same secret (`ca.crt`) or in a `<name>-cacert` secret.
   */
  public static fromSecret(credentialName: string): ServerCertificate {
    return new ServerCertificate({ credentialName });
  }

  /** Two secrets, one RSA and one ECDSA certificate, so clients of either kind are served. */
  public static fromSecrets(first: string, second: string): ServerCertificate {
    return new ServerCertificate({ credentialNames: [first, second] });
  }

  /** Files mounted into the gateway pod. */
  public static fromFiles(files: CertificateFiles): ServerCertificate {
    return new ServerCertificate({
      serverCertificate: files.serverCertificate,
      privateKey: files.privateKey,
      caCertificates: files.caCertificates,
      caCrl: files.caCrl,
    });
  }

  private constructor(private readonly fields: { [key: string]: unknown }) {}

  /** The TLS fields this source sets. @internal */
  public _render(): { [key: string]: unknown } {
    return { ...this.fields };
  }
}
