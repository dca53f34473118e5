// The test server's options (startApiServer) and authorization rules.

import type {CalicoMode} from './resources.js'

export interface ForbidRule {
  verb?: string | undefined
  /** Resource, or "resource/subresource". */
  resource?: string | undefined
  group?: string | undefined
  namespace?: string | undefined
  name?: string | undefined
  user?: string | undefined
}

export interface ApiServerOptions {
  /** Serve HTTPS with the test server certificate (default true). */
  tls?: boolean | undefined
  /** Accepted bearer tokens (default ['test-token']). */
  tokens?: string[] | undefined
  /** User name per token (default "test-user"). */
  tokenUsers?: Record<string, string> | undefined
  /** Let requests without credentials through as system:anonymous (default false: 401). */
  allowAnonymous?: boolean | undefined
  /** Which Calico API groups exist (default 'crd-v1'). */
  calicoMode?: CalicoMode | undefined
  /** Largest page the server returns, whatever `limit` asked for. */
  maxPageSize?: number | undefined
  /** Objects to start with (CRDs among them register their kinds). */
  objects?: object[] | undefined
  /** Create default, kube-system, kube-public and kube-node-lease as a real cluster has (default true). */
  systemNamespaces?: boolean | undefined
  /** Authorization denials, also settable later through `server.forbid`. */
  forbid?: ForbidRule[] | undefined
  /** gzip responses over 128 KiB when the client accepts it, as the real server does (default true). */
  compression?: boolean | undefined
  /**
   * Cap each connection's response bodies at this many bytes per second, as a remote cluster's link would
   * (e.g. 6_250_000 for 50 Mbit/s); unset means as fast as loopback goes. Requests and headers are not paced.
   */
  bandwidthBytesPerSecond?: number | undefined
  /** How often open watches that allow bookmarks get one (default 60 s, as the real watch cache). */
  bookmarkIntervalMs?: number | undefined
  port?: number | undefined
  host?: string | undefined
}
