#include "cli/lab/lab_state.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "cli/lab/lab_error.h"

namespace overcast::cli::lab {

const HostRecord* LabState::find_host(const std::string& name) const {
  for (const auto& host : hosts) {
    if (host.name == name) return &host;
  }
  return nullptr;
}

const VmRecord* LabState::find_vm(const std::string& name) const {
  for (const auto& vm : vms) {
    if (vm.name == name) return &vm;
  }
  return nullptr;
}

void LabState::upsert_vm(const VmRecord& vm) {
  for (auto& existing : vms) {
    if (existing.name == vm.name) {
      existing = vm;
      return;
    }
  }
  vms.push_back(vm);
}

nlohmann::json to_json(const LabState& state) {
  nlohmann::json hosts = nlohmann::json::array();
  for (const auto& h : state.hosts) {
    hosts.push_back({{"name", h.name}, {"index", h.index}, {"underlay_ip", h.underlay_ip},
                     {"mgmt_ip", h.mgmt_ip}, {"leaf", h.leaf}});
  }
  nlohmann::json vms = nlohmann::json::array();
  for (const auto& v : state.vms) {
    vms.push_back({{"name", v.name}, {"host", v.host}, {"port_id", v.port_id}, {"tap", v.tap},
                   {"mac", v.mac}, {"ip", v.ip}, {"prefix_length", v.prefix_length},
                   {"gateway", v.gateway}, {"mtu", v.mtu}, {"dhcp", v.dhcp}});
  }
  return {{"prefix", state.prefix}, {"api_port", state.api_port},
          {"mgmt_octet", state.mgmt_octet}, {"bin_dir", state.bin_dir},
          {"hosts", hosts}, {"vms", vms}};
}

LabState lab_state_from_json(const nlohmann::json& json) {
  try {
    LabState state;
    state.prefix = json.at("prefix").get<std::string>();
    state.api_port = json.at("api_port").get<int>();
    state.mgmt_octet = json.at("mgmt_octet").get<int>();
    state.bin_dir = json.value("bin_dir", "");
    for (const auto& h : json.at("hosts")) {
      state.hosts.push_back({h.at("name").get<std::string>(), h.at("index").get<int>(),
                             h.at("underlay_ip").get<std::string>(),
                             h.at("mgmt_ip").get<std::string>(), h.at("leaf").get<int>()});
    }
    for (const auto& v : json.at("vms")) {
      VmRecord vm;
      vm.name = v.at("name").get<std::string>();
      vm.host = v.at("host").get<std::string>();
      vm.port_id = v.at("port_id").get<std::string>();
      vm.tap = v.at("tap").get<std::string>();
      vm.mac = v.at("mac").get<std::string>();
      vm.ip = v.at("ip").get<std::string>();
      vm.prefix_length = v.at("prefix_length").get<int>();
      vm.gateway = v.value("gateway", "");
      vm.mtu = v.at("mtu").get<int>();
      vm.dhcp = v.value("dhcp", false);  // labs made before DHCP: static
      state.vms.push_back(vm);
    }
    return state;
  } catch (const nlohmann::json::exception& e) {
    throw LabError(std::string("malformed lab state: ") + e.what());
  }
}

std::optional<LabState> LabState::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json json = nlohmann::json::parse(text.str(), nullptr, false);
  if (json.is_discarded()) throw LabError("lab state " + path + " is not valid JSON");
  try {
    return lab_state_from_json(json);
  } catch (const LabError& e) {
    throw LabError(path + ": " + e.what());
  }
}

void LabState::save(const std::string& path) const {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << to_json(*this).dump(2) << "\n";
    if (!out) throw LabError("cannot write lab state " + temporary);
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    throw LabError("cannot replace lab state " + path);
  }
}

}  // namespace overcast::cli::lab
