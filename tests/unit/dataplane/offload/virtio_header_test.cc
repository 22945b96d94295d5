// virtio_net_hdr decode/encode: the header is built as the 10 bytes the kernel
// writes (little-endian fields, virtio spec §5.1.6), not through encode.
#include "dataplane/offload/virtio_header.h"

#include <gtest/gtest.h>

#include <array>
#include <cstring>

namespace overcast::dataplane {
namespace {

virtio_net_hdr from_bytes(uint8_t flags, uint8_t gso_type, uint16_t hdr_len, uint16_t gso_size, uint16_t csum_start,
                          uint16_t csum_offset) {
  const std::array<uint8_t, 10> raw = {flags,
                                       gso_type,
                                       static_cast<uint8_t>(hdr_len),
                                       static_cast<uint8_t>(hdr_len >> 8),
                                       static_cast<uint8_t>(gso_size),
                                       static_cast<uint8_t>(gso_size >> 8),
                                       static_cast<uint8_t>(csum_start),
                                       static_cast<uint8_t>(csum_start >> 8),
                                       static_cast<uint8_t>(csum_offset),
                                       static_cast<uint8_t>(csum_offset >> 8)};
  virtio_net_hdr h;
  std::memcpy(&h, raw.data(), sizeof h);
  return h;
}

std::array<uint8_t, 10> to_bytes(const virtio_net_hdr& h) {
  std::array<uint8_t, 10> raw;
  std::memcpy(raw.data(), &h, sizeof h);
  return raw;
}

TEST(VirtioHeaderTest, DecodesATcpV4GsoFrameWithPartialChecksum) {
  OffloadInfo o;
  ASSERT_TRUE(decode_virtio_header(from_bytes(1, 1, 66, 1448, 34, 16), 65000, o));
  EXPECT_TRUE(o.needs_csum);
  EXPECT_FALSE(o.data_valid);
  EXPECT_FALSE(o.ecn);
  EXPECT_EQ(o.gso_type, GsoType::kTcpV4);
  EXPECT_EQ(o.gso_size, 1448);
  EXPECT_EQ(o.hdr_len, 66);
  EXPECT_EQ(o.csum_start, 34);
  EXPECT_EQ(o.csum_offset, 16);
}

TEST(VirtioHeaderTest, DecodesTcpV6WithEcnAndDataValid) {
  OffloadInfo o;
  ASSERT_TRUE(decode_virtio_header(from_bytes(2, 4 | 0x80, 86, 1428, 0, 0), 30000, o));
  EXPECT_FALSE(o.needs_csum);
  EXPECT_TRUE(o.data_valid);
  EXPECT_TRUE(o.ecn);
  EXPECT_EQ(o.gso_type, GsoType::kTcpV6);
  EXPECT_EQ(o.gso_size, 1428);
}

TEST(VirtioHeaderTest, AllZeroHeaderIsAPlainFrame) {
  OffloadInfo o;
  o.needs_csum = true;  // decode must reset what it does not set
  o.gso_type = GsoType::kTcpV4;
  ASSERT_TRUE(decode_virtio_header(from_bytes(0, 0, 0, 0, 0, 0), 60, o));
  EXPECT_FALSE(o.needs_csum);
  EXPECT_FALSE(o.is_gso());
  EXPECT_EQ(o.gso_size, 0);
}

TEST(VirtioHeaderTest, GsoSizeOfANonGsoFrameIsIgnored) {
  OffloadInfo o;
  ASSERT_TRUE(decode_virtio_header(from_bytes(0, 0, 0, 1400, 0, 0), 60, o));
  EXPECT_EQ(o.gso_size, 0);
}

TEST(VirtioHeaderTest, RefusesUnknownFlags) {
  OffloadInfo o;
  for (unsigned flags : {4u, 8u, 0x10u, 0x80u, 0x05u, 0xffu}) {
    EXPECT_FALSE(decode_virtio_header(from_bytes(static_cast<uint8_t>(flags), 0, 0, 0, 0, 0), 100, o))
        << "flags " << flags;
  }
}

TEST(VirtioHeaderTest, RefusesUdpGso) {
  OffloadInfo o;
  EXPECT_FALSE(decode_virtio_header(from_bytes(1, 3, 42, 1400, 34, 6), 9000, o));
  EXPECT_FALSE(decode_virtio_header(from_bytes(1, 3 | 0x80, 42, 1400, 34, 6), 9000, o));
}

TEST(VirtioHeaderTest, RefusesUnknownGsoTypes) {
  OffloadInfo o;
  for (unsigned type : {2u, 5u, 6u, 0x7fu, 0x40u, 0x81u | 0x04u}) {
    EXPECT_FALSE(decode_virtio_header(from_bytes(0, static_cast<uint8_t>(type), 54, 1400, 0, 0), 9000, o))
        << "gso_type " << type;
  }
}

TEST(VirtioHeaderTest, RefusesChecksumOffsetsBeyondTheFrame) {
  OffloadInfo o;
  // The 2-byte field at csum_start + csum_offset must fit in the frame.
  EXPECT_TRUE(decode_virtio_header(from_bytes(1, 0, 0, 0, 34, 16), 52, o));
  EXPECT_FALSE(decode_virtio_header(from_bytes(1, 0, 0, 0, 34, 16), 51, o));
  EXPECT_FALSE(decode_virtio_header(from_bytes(1, 0, 0, 0, 0xffff, 0xffff), 65535, o));
  EXPECT_FALSE(decode_virtio_header(from_bytes(1, 0, 0, 0, 100, 0), 0, o));
}

TEST(VirtioHeaderTest, RefusesGsoWithSizeZero) {
  OffloadInfo o;
  EXPECT_FALSE(decode_virtio_header(from_bytes(1, 1, 54, 0, 34, 16), 9000, o));
  EXPECT_FALSE(decode_virtio_header(from_bytes(1, 4, 74, 0, 54, 16), 9000, o));
}

TEST(VirtioHeaderTest, EncodeWritesLittleEndianFieldsAtTheirOffsets) {
  OffloadInfo o;
  o.needs_csum = true;
  o.gso_type = GsoType::kTcpV4;
  o.ecn = true;
  o.gso_size = 0x05a8;
  o.hdr_len = 0x0042;
  o.csum_start = 0x0022;
  o.csum_offset = 0x0010;
  const std::array<uint8_t, 10> expected = {1, 0x81, 0x42, 0x00, 0xa8, 0x05, 0x22, 0x00, 0x10, 0x00};
  EXPECT_EQ(to_bytes(encode_virtio_header(o)), expected);
}

TEST(VirtioHeaderTest, EncodeOfDataValidHasNoOffsets) {
  OffloadInfo o;
  o.data_valid = true;
  o.csum_start = 99;  // meaningless without NEEDS_CSUM: must not leak into the header
  const std::array<uint8_t, 10> expected = {2, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(to_bytes(encode_virtio_header(o)), expected);
}

TEST(VirtioHeaderTest, EncodeDecodeRoundTrip) {
  struct Case {
    bool needs_csum, data_valid, ecn;
    GsoType type;
    uint16_t gso_size, hdr_len, csum_start, csum_offset;
  };
  const Case cases[] = {
      {false, false, false, GsoType::kNone, 0, 0, 0, 0},
      {true, false, false, GsoType::kNone, 0, 0, 34, 6},
      {false, true, false, GsoType::kNone, 0, 0, 0, 0},
      {true, false, false, GsoType::kTcpV4, 1448, 66, 34, 16},
      {true, false, true, GsoType::kTcpV4, kMinGsoSize, 54, 34, 16},
      {true, false, false, GsoType::kTcpV6, 1428, 86, 54, 16},
      {true, false, true, GsoType::kTcpV6, 65535, 74, 58, 16},
  };
  for (const Case& c : cases) {
    OffloadInfo in;
    in.needs_csum = c.needs_csum;
    in.data_valid = c.data_valid;
    in.ecn = c.ecn;
    in.gso_type = c.type;
    in.gso_size = c.gso_size;
    in.hdr_len = c.hdr_len;
    in.csum_start = c.csum_start;
    in.csum_offset = c.csum_offset;
    OffloadInfo out;
    ASSERT_TRUE(decode_virtio_header(encode_virtio_header(in), 65535, out));
    EXPECT_EQ(out.needs_csum, in.needs_csum);
    EXPECT_EQ(out.data_valid, in.data_valid);
    EXPECT_EQ(out.ecn, in.ecn);
    EXPECT_EQ(out.gso_type, in.gso_type);
    EXPECT_EQ(out.gso_size, in.gso_size);
    if (in.is_gso()) {
      EXPECT_EQ(out.hdr_len, in.hdr_len);
    }
    if (in.needs_csum) {
      EXPECT_EQ(out.csum_start, in.csum_start);
      EXPECT_EQ(out.csum_offset, in.csum_offset);
    }
  }
}

}  // namespace
// A VM's header may not make one frame into tens of thousands of segments, nor have its
// checksum written into the Ethernet header the switch already acted on.
TEST(VirtioHeaderTest, RefusesTinyGsoSizesAndChecksumsInTheEthernetHeader) {
  OffloadInfo in;
  in.needs_csum = true;
  in.gso_type = GsoType::kTcpV4;
  in.gso_size = kMinGsoSize - 1;
  in.hdr_len = 54;
  in.csum_start = 34;
  in.csum_offset = 16;
  OffloadInfo out;
  EXPECT_FALSE(decode_virtio_header(encode_virtio_header(in), 65535, out));
  in.gso_size = kMinGsoSize;
  EXPECT_TRUE(decode_virtio_header(encode_virtio_header(in), 65535, out));
  in.csum_start = kMinCsumStart - 1;
  in.csum_offset = 0;
  EXPECT_FALSE(decode_virtio_header(encode_virtio_header(in), 65535, out));
  in.csum_start = kMinCsumStart;
  EXPECT_TRUE(decode_virtio_header(encode_virtio_header(in), 65535, out));
}

}  // namespace overcast::dataplane
