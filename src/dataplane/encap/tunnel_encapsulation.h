// TunnelEncapsulation: one overlay encapsulation (VXLAN today; Geneve, GRE, STT
// later), as the pipeline sees it. The per-packet work lives in a Codec (OVS's
// three tunnel hooks: build header, push, pop) that the generic EncapStage and
// DecapStage templates inline, so the only virtual call is one per batch.
//
// Adding an encapsulation: a folder encap/<name>/ with a Codec, and one line in
// encap/registry.cc.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "dataplane/core/batch_queue.h"
#include "dataplane/stages/stage_context.h"

namespace overcast::dataplane {

class TunnelEncapsulation {
 public:
  virtual ~TunnelEncapsulation() = default;

  virtual std::string_view name() const = 0;
  // Bytes of tunnel header in front of each inner frame (as the UDP payload starts).
  virtual uint32_t header_size() const = 0;
  // Frames bound for meta.remote_vtep: tunnel header pushed in headroom,
  // meta.flow_hash and meta.outer_src_port set, then into `tunnel`.
  virtual void encapsulate(StageContext& ctx, Batch& in, BatchQueue& tunnel) = 0;
  // Datagram payloads from the tunnel (meta.remote_vtep = sender): checked and
  // popped, then unicast to a local port (`local`) or BUM (`flood`).
  virtual void decapsulate(StageContext& ctx, Batch& in, BatchQueue& local, BatchQueue& flood,
                           BatchQueue& router) = 0;
  // Adds this encapsulation's stage counters to `stages` ({"<stage>": {"<counter>": n}}).
  virtual void add_counters(nlohmann::json& stages) const = 0;
};

}  // namespace overcast::dataplane
