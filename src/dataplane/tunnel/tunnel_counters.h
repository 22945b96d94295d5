// Counters of the tunnel endpoint, one instance per worker, summed on read.
#pragma once

#include <nlohmann/json.hpp>

#include "dataplane/core/counters.h"

namespace overcast::dataplane {

struct TunnelCounters {
  Counter rx_packets, rx_bytes, tx_packets, tx_bytes;
  Counter rx_errors;  // receive failures, truncated datagrams
  Counter tx_errors;  // send failures (datagram dropped)
  Counter gso_fallbacks;  // UDP GSO sends the kernel refused, sent datagram by datagram

  void add_to(nlohmann::json& out) const {
    auto add = [&](const char* key, const Counter& c) {
      out[key] = (out.contains(key) ? out[key].get<uint64_t>() : 0) + c.value();
    };
    add("rx_packets", rx_packets);
    add("rx_bytes", rx_bytes);
    add("tx_packets", tx_packets);
    add("tx_bytes", tx_bytes);
    add("rx_errors", rx_errors);
    add("tx_errors", tx_errors);
    add("gso_fallbacks", gso_fallbacks);
  }
};

}  // namespace overcast::dataplane
