/**
 * The PROXY protocol (HAProxy's, versions 1 and 2): how a load balancer in front of a server tells
 * it the address of the client it relays. {@link io.eddy.core.proxy.ProxyProtocol} is a listener's
 * setting (off, required, or from trusted addresses only), {@link io.eddy.core.proxy.ProxyHeader}
 * a header as received or as a client sends it, with its TLVs, and {@link io.eddy.core.proxy.Cidr}
 * a block of trusted addresses, which the HTTP server's forwarded headers use too.
 *
 * <p>Reading and writing headers on the wire is the connections' own business, inside core:
 * nothing here touches a socket. Everything here is immutable and thread-safe.
 */
package io.eddy.core.proxy;
