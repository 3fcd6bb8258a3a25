package io.eddy.core.proxy;

import io.eddy.core.internal.IpLiterals;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A block of IP addresses in CIDR notation ({@code 10.0.0.0/8}, {@code fd00::/8}, or one address,
 * {@code 127.0.0.1}): the peers a server trusts to tell it who the client is, by a PROXY protocol
 * header or by forwarded HTTP headers.
 *
 * <p>Only literals are taken, never names: a name would be looked up once, and a peer's address
 * is what the trust is about. An IPv4 block also matches the same addresses written as
 * IPv4-mapped IPv6 ({@code ::ffff:10.1.2.3}), as a dual-stack socket reports them.
 *
 * <p>Threading: immutable.
 */
public final class Cidr {

    private final byte[] network;
    private final int prefix;
    private final String text;

    private Cidr(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
        this.text = IpLiterals.format(IpLiterals.address(network)) + "/" + prefix;
    }

    /**
     * The block {@code text} spells: {@code address/prefix}, or an address alone (a block of one).
     * Bits past the prefix must be zero ({@code 10.1.0.0/8} is refused: it likely means something
     * else than {@code 10.0.0.0/8}).
     *
     * @throws IllegalArgumentException saying what is wrong with {@code text}
     */
    public static Cidr parse(String text) {
        Objects.requireNonNull(text, "text");
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        String addressText = slash < 0 ? trimmed : trimmed.substring(0, slash);
        InetAddress address = IpLiterals.parse(addressText);
        if (address == null) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address or a CIDR block"
                    + " (such as 10.0.0.0/8, 192.168.1.7 or fd00::/8; names are not taken)");
        }
        byte[] bytes = IpLiterals.canonicalBytes(address);
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String prefixText = trimmed.substring(slash + 1);
            if (prefixText.isEmpty() || prefixText.length() > 3 || !prefixText.chars().allMatch(Character::isDigit)
                    || (prefix = Integer.parseInt(prefixText)) > bits) {
                throw new IllegalArgumentException("'" + text + "': the prefix length must be a number from 0 to "
                        + bits);
            }
        }
        byte[] masked = mask(bytes, prefix);
        if (!Arrays.equals(masked, bytes)) {
            throw new IllegalArgumentException("'" + text + "' has address bits set past its /" + prefix + " prefix;"
                    + " write the block's first address (" + IpLiterals.format(IpLiterals.address(masked)) + "/"
                    + prefix + ")");
        }
        return new Cidr(masked, prefix);
    }

    /**
     * The IP address literal {@code text} spells (IPv4 dotted decimal, or IPv6), or empty when it
     * is not one; never a name lookup.
     */
    public static Optional<InetAddress> parseAddress(String text) {
        return Optional.ofNullable(IpLiterals.parse(Objects.requireNonNull(text, "text")));
    }

    /** Whether {@code address} lies in this block. */
    public boolean contains(InetAddress address) {
        byte[] bytes = IpLiterals.canonicalBytes(address);
        if (bytes.length != network.length) {
            return false;
        }
        int whole = prefix / 8;
        for (int i = 0; i < whole; i++) {
            if (bytes[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int bitMask = 0xff << (8 - rest) & 0xff;
        return (bytes[whole] & bitMask) == (network[whole] & 0xff);
    }

    /** The prefix length: how many leading bits a matching address shares with the block. */
    public int prefixLength() {
        return prefix;
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] masked = bytes.clone();
        for (int i = 0; i < masked.length; i++) {
            int bitsHere = Math.max(0, Math.min(8, prefix - 8 * i));
            masked[i] &= (byte) (0xff << (8 - bitsHere));
        }
        return masked;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cidr that && prefix == that.prefix && Arrays.equals(network, that.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefix;
    }

    /** The block as {@code address/prefix}, IPv6 in its short form. */
    @Override
    public String toString() {
        return text;
    }
}
