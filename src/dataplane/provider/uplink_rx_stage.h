// UplinkRxStage: frames from a provider uplink (a host interface mapped to a physical
// network) into the provider networks it carries.
//
// The VLAN tag selects the network: an untagged frame belongs to the uplink's flat
// network, a frame tagged with VID v to its VLAN network v (the tag is popped). Then:
// unicast to a local port's MAC goes to that port; broadcast and multicast to the
// network's local ports (the flood stage, as from the tunnel: local ports only, so a
// frame from the uplink never goes back out of it); unknown unicast is dropped, not
// flooded: the physical segment carries other hosts' MACs, which are none of ours.
//
// On the external network of routers whose gateway this host serves (Segment::gateways),
// broadcast ARP and frames to a router's external MAC go to the gateway stage instead
// (a unicast ARP to a local VM of that network is the VM's, delivered as any frame).
//
// Input:  frames read from an uplink port (meta.in_port = its slot).
// Output: `local` (meta.out_port), `flood` (BUM; meta.in_port = kNoPort), `gateway`.
// Drops:  unknown_port (the slot is no uplink), runt, unknown_vlan (untagged without a
//         flat network, a VID with no network here, an 802.1ad outer tag), tagged_frame
//         (still tagged after the network's tag came off), too_big (over the network's
//         MTU), not_local (unknown unicast).
// Counters (stage "uplink_rx"): in, local, flood, dropped, gateway.
#pragma once

#include "dataplane/core/batch_queue.h"
#include "dataplane/core/counters.h"
#include "dataplane/stages/stage_context.h"

namespace overcast::dataplane {

class UplinkRxStage {
 public:
  static constexpr const char* kName = "uplink_rx";
  enum : size_t { kIn, kLocal, kFlood, kDropped, kGateway };

  void process(StageContext& ctx, Batch& in, BatchQueue& local, BatchQueue& flood, BatchQueue& gateway);
  const CounterSet& counters() const { return counters_; }

 private:
  // The segment `p` belongs to (tag popped), or nullptr with `why` set.
  const Segment* classify(const ForwardingTable& table, const PortEntry& uplink, Packet& p, DropReason& why) const;

  CounterSet counters_{"in", "local", "flood", "dropped", "gateway"};
};

}  // namespace overcast::dataplane
