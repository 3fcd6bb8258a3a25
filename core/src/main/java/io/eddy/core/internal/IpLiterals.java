package io.eddy.core.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IP address literals, parsed and written without ever asking a name service: the PROXY
 * protocol's v1 line, trusted-proxy ranges and forwarded headers all carry addresses as text, and
 * a lookup on the loop thread (or a name where an address belongs) must never happen.
 *
 * <p>IPv4: exactly four decimal numbers from 0 to 255, without leading zeros (which some parsers
 * read as octal). IPv6: up to eight groups of one to four hex digits, at most one {@code ::}, no
 * zone ({@code %eth0}) and no dotted IPv4 tail.
 *
 * <p>Threading: stateless.
 */
public final class IpLiterals {

    private IpLiterals() {
    }

    /** The address {@code text} spells, or null when it is not an IPv4 or IPv6 literal. */
    public static InetAddress parse(String text) {
        byte[] bytes = text.indexOf(':') >= 0 ? ipv6(text) : ipv4(text);
        return bytes == null ? null : address(bytes);
    }

    /** The IPv4 address {@code text} spells, or null. */
    public static InetAddress parseIpv4(String text) {
        byte[] bytes = ipv4(text);
        return bytes == null ? null : address(bytes);
    }

    /** The IPv6 address {@code text} spells, or null. */
    public static InetAddress parseIpv6(String text) {
        byte[] bytes = ipv6(text);
        return bytes == null ? null : address(bytes);
    }

    /**
     * An address of 4 or 16 bytes. An IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) comes back
     * as the IPv4 address it maps, as the JDK makes it.
     */
    public static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + bytes.length, e);
        }
    }

    /**
     * The address's bytes, an IPv4-mapped IPv6 address as its 4 IPv4 bytes, so that a range of
     * either form matches both.
     */
    public static byte[] canonicalBytes(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 16 && isMapped(bytes)) {
            return new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]};
        }
        return bytes;
    }

    private static boolean isMapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }

    /**
     * The address as text: dotted decimal, or IPv6 in its short form (RFC 5952: lower case, no
     * leading zeros, the longest run of two or more zero groups as {@code ::}), without a zone.
     */
    public static String format(InetAddress address) {
        return format(address.getAddress());
    }

    /** An address of 4 or 16 bytes as text, as {@link #format(InetAddress)} writes it. */
    public static String format(byte[] b) {
        if (b.length == 4) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (b[2 * i] & 0xff) << 8 | b[2 * i + 1] & 0xff;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && groups[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    /** Whether {@code address} is an IPv6 address (mapped IPv4 ones excluded). */
    public static boolean isIpv6(InetAddress address) {
        return address instanceof Inet6Address;
    }

    private static byte[] ipv4(String text) {
        byte[] bytes = new byte[4];
        int part = 0;
        int i = 0;
        int n = text.length();
        while (part < 4) {
            int start = i;
            int value = 0;
            while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9' && i - start < 3) {
                value = value * 10 + text.charAt(i) - '0';
                i++;
            }
            int digits = i - start;
            if (digits == 0 || value > 255 || digits > 1 && text.charAt(start) == '0') {
                return null;
            }
            bytes[part++] = (byte) value;
            if (part < 4) {
                if (i >= n || text.charAt(i) != '.') {
                    return null;
                }
                i++;
            }
        }
        return i == n ? bytes : null;
    }

    private static byte[] ipv6(String text) {
        int n = text.length();
        if (n < 2 || n > 39) {
            return null;
        }
        int[] groups = new int[8];
        int count = 0;
        int gap = -1; // where "::" stands, in groups
        int i = 0;
        if (text.startsWith("::")) {
            gap = 0;
            i = 2;
            if (i == n) {
                return new byte[16];
            }
        } else if (text.charAt(0) == ':') {
            return null;
        }
        while (i < n) {
            if (count == 8) {
                return null;
            }
            int start = i;
            int value = 0;
            while (i < n && i - start < 4) {
                int digit = Character.digit(text.charAt(i), 16);
                if (digit < 0) {
                    break;
                }
                value = value << 4 | digit;
                i++;
            }
            if (i == start) {
                return null;
            }
            groups[count++] = value;
            if (i == n) {
                break;
            }
            if (text.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i < n && text.charAt(i) == ':') {
                if (gap >= 0) {
                    return null;
                }
                gap = count;
                i++;
                if (i == n) {
                    break;
                }
            } else if (i == n) {
                return null; // a single trailing colon
            }
        }
        if (gap < 0 ? count != 8 : count > 7) {
            return null;
        }
        byte[] bytes = new byte[16];
        int zeros = 8 - count;
        for (int g = 0, out = 0; g < count; g++, out++) {
            if (g == gap) {
                out += zeros;
            }
            bytes[2 * out] = (byte) (groups[g] >> 8);
            bytes[2 * out + 1] = (byte) groups[g];
        }
        return bytes;
    }
}
