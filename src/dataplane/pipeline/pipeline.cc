#include "dataplane/pipeline/pipeline.h"

#include "dataplane/core/counters_json.h"

namespace overcast::dataplane {

namespace {

GatewayConfig gateway_config(const SecurityGroupConfig& security_groups) {
  GatewayConfig config;
  config.conntrack_max = security_groups.conntrack_max;
  config.worker_index = security_groups.worker_index;
  config.worker_count = security_groups.worker_count;
  config.handoff = security_groups.handoff;
  return config;
}

}  // namespace

Pipeline::Pipeline(PacketPool& pool, DropCounters& drops, std::unique_ptr<TunnelEncapsulation> encapsulation,
                   TunnelSink& tunnel, PortTxLocks* tx_locks, const SecurityGroupConfig& security_groups)
    : encapsulation_(std::move(encapsulation)),
      tunnel_(tunnel),
      gro_(encapsulation_->header_size()),
      local_delivery_(tx_locks),
      security_groups_(security_groups),
      gateway_(gateway_config(security_groups)),
      dhcp_q_([](void* self, Batch& b) {
                auto* pl = static_cast<Pipeline*>(self);
                pl->dhcp_.process(pl->ctx_, b, pl->local_q_, pl->sg_egress_q_);
              }, this),
      classify_q_([](void* self, Batch& b) {
                    auto* pl = static_cast<Pipeline*>(self);
                    pl->classify_.process(pl->ctx_, b, pl->arp_q_, pl->router_q_);
                  }, this),
      decap_q_([](void* self, Batch& b) {
                 auto* pl = static_cast<Pipeline*>(self);
                 pl->encapsulation_->decapsulate(pl->ctx_, b, pl->local_q_, pl->flood_q_, pl->router_q_);
               }, this),
      arp_q_([](void* self, Batch& b) {
               auto* pl = static_cast<Pipeline*>(self);
               pl->arp_responder_.process(pl->ctx_, b, pl->local_q_, pl->l2_q_);
             }, this),
      router_q_([](void* self, Batch& b) {
                  auto* pl = static_cast<Pipeline*>(self);
                  pl->router_.process(pl->ctx_, b, pl->l2_q_, pl->local_q_, pl->remote_q_, pl->gateway_out_q_);
                }, this),
      gateway_in_q_([](void* self, Batch& b) {
                      auto* pl = static_cast<Pipeline*>(self);
                      pl->gateway_.process_inbound(pl->ctx_, b, pl->l2_q_, pl->uplink_q_, pl->flood_q_);
                    }, this),
      gateway_out_q_([](void* self, Batch& b) {
                       auto* pl = static_cast<Pipeline*>(self);
                       pl->gateway_.process_outbound(pl->ctx_, b, pl->uplink_q_);
                     }, this),
      l2_q_([](void* self, Batch& b) {
              auto* pl = static_cast<Pipeline*>(self);
              pl->l2_forward_.process(pl->ctx_, b, pl->local_q_, pl->remote_q_, pl->flood_q_);
            }, this),
      flood_q_([](void* self, Batch& b) {
                 auto* pl = static_cast<Pipeline*>(self);
                 pl->flood_.process(pl->ctx_, b, pl->local_q_, pl->remote_q_, &pl->uplink_q_);
               }, this),
      remote_q_([](void* self, Batch& b) {
                  auto* pl = static_cast<Pipeline*>(self);
                  pl->path_mtu_.process(pl->ctx_, b, pl->encap_q_, pl->local_q_);
                }, this),
      encap_q_([](void* self, Batch& b) {
                 auto* pl = static_cast<Pipeline*>(self);
                 pl->encapsulation_->encapsulate(pl->ctx_, b, pl->tunnel_q_);
               }, this),
      tunnel_q_([](void* self, Batch& b) {
                  auto* pl = static_cast<Pipeline*>(self);
                  pl->tunnel_.tx_burst(*pl->ctx_.pool, b);
                }, this),
      uplink_q_([](void* self, Batch& b) {
                  auto* pl = static_cast<Pipeline*>(self);
                  pl->uplink_tx_.process(pl->ctx_, b, pl->local_q_);
                }, this),
      local_q_([](void* self, Batch& b) {
                 auto* pl = static_cast<Pipeline*>(self);
                 pl->security_groups_.process_ingress(pl->ctx_, b, pl->deliver_q_);
               }, this),
      sg_egress_q_([](void* self, Batch& b) {
                     auto* pl = static_cast<Pipeline*>(self);
                     pl->security_groups_.process_egress(pl->ctx_, b, pl->classify_q_);
                   }, this),
      deliver_q_([](void* self, Batch& b) {
                   auto* pl = static_cast<Pipeline*>(self);
                   pl->local_delivery_.process(pl->ctx_, b);
                 }, this) {
  ctx_.pool = &pool;
  ctx_.drops = &drops;
}

void Pipeline::set_table(const ForwardingTable* table) {
  ctx_.table = table;
  // The version too: a new table may be allocated where a freed one was (same pointer).
  if (table && (table != prepared_for_ || table->version != prepared_version_)) {
    local_delivery_.prepare(*table);
    security_groups_.prepare(*table);
    gateway_.prepare(*table);
    prepared_for_ = table;
    prepared_version_ = table->version;
  }
}

void Pipeline::drain_all() {
  // Graph order: a queue is drained only after every queue that feeds it.
  dhcp_q_.drain();
  sg_egress_q_.drain();
  classify_q_.drain();
  decap_q_.drain();
  arp_q_.drain();
  gateway_in_q_.drain();
  router_q_.drain();
  gateway_out_q_.drain();
  l2_q_.drain();
  flood_q_.drain();
  remote_q_.drain();
  encap_q_.drain();
  tunnel_q_.drain();
  uplink_q_.drain();
  local_q_.drain();
  deliver_q_.drain();
}

void Pipeline::housekeeping() {
  const uint64_t now = SecurityGroupStage::now_ms();
  security_groups_.housekeeping(now);
  if (ctx_.table == nullptr) return;
  gateway_.housekeeping(ctx_, now, uplink_q_);
  drain_all();
}

void Pipeline::process_port_rx(Batch& rx) {
  port_security_.process(ctx_, rx, dhcp_q_);
  drain_all();
}

void Pipeline::process_tunnel_rx(Batch& rx) {
  gro_.process(ctx_, rx, decap_q_);
  drain_all();
}

void Pipeline::process_uplink_rx(Batch& rx) {
  uplink_rx_.process(ctx_, rx, local_q_, flood_q_, gateway_in_q_);
  drain_all();
}

void Pipeline::process_handed_ingress(Batch& rx) {
  for (Packet* p : rx) {
    if (p->meta.for_gateway) {
      gateway_out_q_.push(p);
    } else {
      local_q_.push(p);  // the ingress half runs here: this worker owns the port's zone
    }
  }
  rx.clear();
  drain_all();
}

void Pipeline::add_counters(nlohmann::json& stages) const {
  add_counter_set(stages, PortSecurityStage::kName, port_security_.counters());
  add_counter_set(stages, DhcpStage::kName, dhcp_.counters());
  add_counter_set(stages, DhcpStage::kResponderName, dhcp_.responder_counters());
  add_counter_set(stages, ClassifyStage::kName, classify_.counters());
  add_counter_set(stages, ArpResponderStage::kName, arp_responder_.counters());
  add_counter_set(stages, RouterStage::kName, router_.counters());
  add_counter_set(stages, L2ForwardStage::kName, l2_forward_.counters());
  add_counter_set(stages, FloodStage::kName, flood_.counters());
  add_counter_set(stages, LocalDeliveryStage::kName, local_delivery_.counters());
  add_counter_set(stages, TunnelGro::kName, gro_.counters());
  add_counter_set(stages, PathMtuStage::kName, path_mtu_.counters());
  add_counter_set(stages, UplinkRxStage::kName, uplink_rx_.counters());
  add_counter_set(stages, UplinkTxStage::kName, uplink_tx_.counters());
  security_groups_.add_counters(stages);
  gateway_.add_counters(stages);
  encapsulation_->add_counters(stages);
}

}  // namespace overcast::dataplane
