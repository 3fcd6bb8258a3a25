package io.eddy.core.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    private static InetAddress ip(String literal) {
        return Cidr.parseAddress(literal).orElseThrow();
    }

    @Test
    void matchesAddressesInsideItsPrefixOnly() {
        Cidr ten = Cidr.parse("10.0.0.0/8");
        assertTrue(ten.contains(ip("10.0.0.0")));
        assertTrue(ten.contains(ip("10.255.255.255")));
        assertFalse(ten.contains(ip("11.0.0.0")));
        assertFalse(ten.contains(ip("::a00:1")), "an IPv6 address never matches an IPv4 block");

        Cidr odd = Cidr.parse("192.168.4.0/22");
        assertTrue(odd.contains(ip("192.168.7.255")));
        assertFalse(odd.contains(ip("192.168.8.0")));
        assertFalse(odd.contains(ip("192.168.3.255")));

        Cidr one = Cidr.parse("127.0.0.1");
        assertEquals(32, one.prefixLength());
        assertTrue(one.contains(ip("127.0.0.1")));
        assertFalse(one.contains(ip("127.0.0.2")));

        Cidr all = Cidr.parse("0.0.0.0/0");
        assertTrue(all.contains(ip("203.0.113.9")));

        Cidr ula = Cidr.parse("fd00::/8");
        assertTrue(ula.contains(ip("fdab:1::2")));
        assertFalse(ula.contains(ip("fe80::1")));
        assertTrue(Cidr.parse("::1").contains(ip("0:0:0:0:0:0:0:1")));
    }

    @Test
    void anIpv4BlockMatchesTheSameAddressMappedToIpv6() throws UnknownHostException {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 1, 2, 3};
        InetAddress asIpv6 = Inet6Address.getByAddress(null, mapped, -1);
        assertTrue(Cidr.parse("10.0.0.0/8").contains(asIpv6));
    }

    @Test
    void printsItselfInShortForm() {
        assertEquals("2001:db8::/32", Cidr.parse("2001:0DB8:0:0::/32").toString());
        assertEquals("10.0.0.0/8", Cidr.parse(" 10.0.0.0/8 ").toString());
        assertEquals(Cidr.parse("::1/128"), Cidr.parse("::1"));
        assertEquals(List.of(Cidr.parse("10.0.0.0/8")), ProxyProtocol.trusted("10.0.0.0/8").trusted());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1", "10.1.0.0/8", "1.2.3",
            "1.2.3.4.5", "01.2.3.4", "256.0.0.0", "::1/129", ":::1", "1::2::3", "1:2:3:4:5:6:7:8:9", "fe80::1%eth0",
            "::ffff:1.2.3.4", "[::1]", "12345::", "1:2:3:4:5:6:7:", "10.0.0.0/8x"})
    void refusesWhatIsNotABlockOfAddresses(String text) {
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text));
    }

    @Test
    void readsOnlyLiteralsNeverNames() {
        assertTrue(Cidr.parseAddress("localhost").isEmpty());
        assertTrue(Cidr.parseAddress("example.com").isEmpty());
        assertEquals(ip("::"), Cidr.parseAddress("::").orElseThrow());
        assertEquals(ip("1::"), Cidr.parseAddress("1:0:0:0:0:0:0:0").orElseThrow());
        assertEquals(ip("1::8"), Cidr.parseAddress("1:0:0:0:0:0:0:8").orElseThrow());
        assertEquals(ip("1:0:3:4:5:6:7:8"), Cidr.parseAddress("1::3:4:5:6:7:8").orElseThrow());
    }

    @Test
    void trustedNeedsAtLeastOneBlock() {
        assertThrows(IllegalArgumentException.class, () -> ProxyProtocol.trusted(new String[0]));
        assertThrows(IllegalArgumentException.class, () -> ProxyProtocol.trusted("not an address"));
    }
}
