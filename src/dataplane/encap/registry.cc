#include "dataplane/encap/registry.h"

#include "dataplane/encap/codec_encapsulation.h"
#include "dataplane/encap/vxlan/vxlan_codec.h"

namespace overcast::dataplane {
namespace {

struct Registration {
  std::string_view name;
  std::unique_ptr<TunnelEncapsulation> (*make)();
};

template <class Codec>
std::unique_ptr<TunnelEncapsulation> make_codec() {
  return std::make_unique<CodecEncapsulation<Codec>>();
}

// One line per encapsulation.
constexpr Registration kRegistrations[] = {
    {VxlanCodec::kName, &make_codec<VxlanCodec>},
};

}  // namespace

std::unique_ptr<TunnelEncapsulation> make_encapsulation(std::string_view name) {
  for (const auto& r : kRegistrations) {
    if (r.name == name) return r.make();
  }
  return nullptr;
}

std::vector<std::string_view> encapsulation_names() {
  std::vector<std::string_view> names;
  for (const auto& r : kRegistrations) names.push_back(r.name);
  return names;
}

}  // namespace overcast::dataplane
