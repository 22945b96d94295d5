// CodecEncapsulation<Codec>: a TunnelEncapsulation made of the generic encap and
// decap stages over one Codec. What registry.cc instantiates per encapsulation.
#pragma once

#include <string_view>

#include "dataplane/core/counters_json.h"
#include "dataplane/encap/decap_stage.h"
#include "dataplane/encap/encap_stage.h"
#include "dataplane/encap/tunnel_encapsulation.h"

namespace overcast::dataplane {

template <class Codec>
class CodecEncapsulation final : public TunnelEncapsulation {
 public:
  std::string_view name() const override { return Codec::kName; }
  uint32_t header_size() const override { return Codec::kHeaderSize; }
  void encapsulate(StageContext& ctx, Batch& in, BatchQueue& tunnel) override { encap_.process(ctx, in, tunnel); }
  void decapsulate(StageContext& ctx, Batch& in, BatchQueue& local, BatchQueue& flood, BatchQueue& router) override {
    decap_.process(ctx, in, local, flood, &router);
  }
  void add_counters(nlohmann::json& stages) const override {
    add_counter_set(stages, EncapStage<Codec>::kName, encap_.counters());
    add_counter_set(stages, DecapStage<Codec>::kName, decap_.counters());
  }

 private:
  EncapStage<Codec> encap_;
  DecapStage<Codec> decap_;
};

}  // namespace overcast::dataplane
