#include "bench/scale/sim/host_fleet.h"

#include <cstdio>
#include <thread>

namespace overcast::bench {

std::string underlay_of(size_t index) {
  // 10.64.0.1 upwards, skipping .0 and .255 so no address is a network or broadcast.
  const size_t octet4 = index % 254 + 1;
  const size_t rest = index / 254;
  char text[32];
  std::snprintf(text, sizeof text, "10.%zu.%zu.%zu", 64 + rest / 256, rest % 256, octet4);
  return text;
}

HostFleet::HostFleet(const std::string& controller, size_t count, SinkMode mode, const std::string& prefix) {
  hosts_.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    char name[64];
    std::snprintf(name, sizeof name, "%s%05zu", prefix.c_str(), i);
    SimHost host;
    host.name = name;
    host.sink = std::make_unique<SimHostSink>(mode);
    agent::SouthboundClientConfig config;
    config.controller = controller;
    config.host = host.name;
    config.underlay_ip = underlay_of(i);
    host.client = std::make_unique<agent::SouthboundClient>(config, *host.sink);
    hosts_.push_back(std::move(host));
  }
}

HostFleet::~HostFleet() {
  // A stalled sink holds its client's reader: let it go first, or stop() would wait forever.
  for (auto& host : hosts_) host.sink->release();
  for (auto& host : hosts_) host.client->stop();
}

void HostFleet::start() {
  for (auto& host : hosts_) host.client->start();
}

size_t HostFleet::connected() const {
  size_t n = 0;
  for (const auto& host : hosts_) n += host.client->status().connected ? 1 : 0;
  return n;
}

bool HostFleet::wait_connected(std::chrono::milliseconds timeout) const {
  const auto deadline = Clock::now() + timeout;
  while (connected() < hosts_.size()) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

void HostFleet::record_touches(bool on) {
  for (auto& host : hosts_) host.sink->record_touches(on);
}

}  // namespace overcast::bench
