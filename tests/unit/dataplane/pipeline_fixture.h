// A Pipeline over fake ports and a capturing tunnel, with one standard table:
//
//   VNI 100: slots 0,1,2 (MACs :01 :02 :03), remote MAC :0a behind kVtep1,
//            flood_vteps kVtep1..3, ARP 10.0.0.1->:01, 10.0.0.2->:02, 10.0.0.10->:0a
//   VNI 200: slot 3 (MAC :04)
//   slot 4: port of VNI 300, which has no segment;  slot 5: admin down (VNI 100)
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "dataplane/core/packet_pool.h"
#include "dataplane/encap/registry.h"
#include "dataplane/pipeline/pipeline.h"
#include "dataplane/fake_port.h"
#include "dataplane/test_frames.h"

namespace overcast::dataplane::testing {

inline constexpr uint32_t kVtep1 = 0xc0a80001;  // 192.168.0.1 (never sent to: captured)
inline constexpr uint32_t kVtep2 = 0xc0a80002;
inline constexpr uint32_t kVtep3 = 0xc0a80003;
inline constexpr uint32_t kStrangerVtep = 0xc0a80063;

struct TunnelCapture final : TunnelSink {
  struct Datagram {
    uint32_t remote_vtep;
    uint16_t outer_src_port;
    uint32_t flow_hash;
    std::vector<uint8_t> bytes;
  };
  std::vector<Datagram> sent;
  void tx_burst(PacketPool& pool, Batch& batch) override {
    for (Packet* p : batch) {
      sent.push_back({p->meta.remote_vtep, p->meta.outer_src_port, p->meta.flow_hash,
                      std::vector<uint8_t>(p->data(), p->data() + p->length())});
      pool.free(p);
    }
    batch.clear();
  }
};

class PipelineTest : public ::testing::Test {
 protected:
  explicit PipelineTest(size_t pool_packets = 512);

  // Runs frames from one VM port through the pipeline (one batch).
  void from_port(PortSlot slot, const std::vector<std::vector<uint8_t>>& frames);
  void from_port(PortSlot slot, const std::vector<uint8_t>& frame) {
    from_port(slot, std::vector<std::vector<uint8_t>>{frame});
  }
  // Runs one datagram payload from the tunnel.
  void from_tunnel(uint32_t vtep, const std::vector<uint8_t>& payload);

  uint64_t drops(DropReason r) const { return drops_.value(r); }
  uint64_t total_drops() const;
  size_t sent_total() const;
  void expect_no_leak() const { EXPECT_EQ(pool_.available(), pool_.capacity()); }

  std::shared_ptr<ForwardingTable> table_;
  std::vector<std::shared_ptr<FakePort>> ports_;
  PacketPool pool_;
  DropCounters drops_;
  TunnelCapture tunnel_;
  Pipeline pipeline_;
};

}  // namespace overcast::dataplane::testing
