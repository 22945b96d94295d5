#include "dataplane/pipeline_fixture.h"

namespace overcast::dataplane::testing {
namespace {

L2Destination local(PortSlot s) { return {L2Destination::Kind::kLocalPort, s, 0}; }
L2Destination remote(uint32_t vtep) { return {L2Destination::Kind::kRemoteVtep, kNoPort, vtep}; }

}  // namespace

PipelineTest::PipelineTest(size_t pool_packets)
    : table_(std::make_shared<ForwardingTable>()),
      pool_(pool_packets, 2048 + Packet::kHeadroom),
      pipeline_(pool_, drops_, make_encapsulation("vxlan"), tunnel_) {
  const uint32_t vnis[] = {100, 100, 100, 200, 300, 100};
  for (PortSlot s = 0; s < 6; ++s) {
    ports_.push_back(std::make_shared<FakePort>("tap" + std::to_string(s)));
    PortEntry e;
    e.port_id = "port-" + std::to_string(s);
    e.vni = vnis[s];
    e.mac = mac(static_cast<uint8_t>(s + 1));
    e.admin_up = s != 5;
    e.io = ports_.back();
    table_->ports.push_back(e);
  }
  Segment& a = table_->segments[100];
  a.vni = 100;
  a.network_id = "net-a";
  a.local_ports = {0, 1, 2};
  a.flood_vteps = {kVtep1, kVtep2, kVtep3};
  for (PortSlot s : a.local_ports) a.macs[mac(static_cast<uint8_t>(s + 1))] = local(s);
  a.macs[mac(0x0a)] = remote(kVtep1);
  a.vteps = {kVtep1, kVtep2, kVtep3};
  a.arp[0x0a000001] = mac(1);
  a.arp[0x0a000002] = mac(2);
  a.arp[0x0a00000a] = mac(0x0a);
  Segment& b = table_->segments[200];
  b.vni = 200;
  b.network_id = "net-b";
  b.local_ports = {3};
  b.macs[mac(4)] = local(3);
  table_->known_vteps = {kVtep1, kVtep2, kVtep3};
  pipeline_.set_table(table_.get());
}

void PipelineTest::from_port(PortSlot slot, const std::vector<std::vector<uint8_t>>& frames) {
  Batch batch;
  for (const auto& f : frames) {
    Packet* p = pool_.alloc();
    ASSERT_NE(p, nullptr);
    if (!f.empty()) std::memcpy(p->data(), f.data(), f.size());
    p->set_length(static_cast<uint32_t>(f.size()));
    p->meta.in_port = slot;
    batch.push(p);
  }
  pipeline_.process_port_rx(batch);
  EXPECT_TRUE(batch.empty());
}

void PipelineTest::from_tunnel(uint32_t vtep, const std::vector<uint8_t>& payload) {
  Batch batch;
  Packet* p = pool_.alloc();
  ASSERT_NE(p, nullptr);
  std::memcpy(p->data(), payload.data(), payload.size());
  p->set_length(static_cast<uint32_t>(payload.size()));
  p->meta.remote_vtep = vtep;
  batch.push(p);
  pipeline_.process_tunnel_rx(batch);
  EXPECT_TRUE(batch.empty());
}

uint64_t PipelineTest::total_drops() const {
  uint64_t n = 0;
  for (size_t i = 0; i < static_cast<size_t>(DropReason::kCount); ++i) n += drops_.value(static_cast<DropReason>(i));
  return n;
}

size_t PipelineTest::sent_total() const {
  size_t n = tunnel_.sent.size();
  for (const auto& p : ports_) n += p->sent_count();
  return n;
}

}  // namespace overcast::dataplane::testing
