// LogicalModel as a StoreFollower: other controllers' commits, brought by a shared store.
#include <spdlog/spdlog.h>

#include <set>

#include "controller/model/logical_model.h"
#include "controller/model/resource_codec.h"

namespace overcast::controller {

namespace {
template <class T>
bool decode_remote(const StoredRecord& record, T& out) {
  try {
    out = nlohmann::json::parse(record.body).get<T>();
  } catch (const std::exception& e) {
    spdlog::error("remote {} '{}' cannot be read, skipped: {}", record.kind, record.id, e.what());
    return false;
  }
  if (out.id != record.id) {
    spdlog::error("remote {} '{}' carries a different id '{}', skipped", record.kind, record.id, out.id);
    return false;
  }
  return true;
}

// Every record the model holds, as keys, for a full resync.
std::set<std::pair<std::string, std::string>> keys_of(const ModelState& state) {
  std::set<std::pair<std::string, std::string>> keys;
  for (const auto& [id, n] : state.networks()) keys.insert({"network", id});
  for (const auto& [id, s] : state.subnets()) keys.insert({"subnet", id});
  for (const auto& [id, p] : state.ports()) keys.insert({"port", id});
  for (const auto& [id, a] : state.agents()) keys.insert({"agent", id});
  for (const auto& [id, r] : state.routers()) keys.insert({"router", id});
  for (const auto& [id, f] : state.floating_ips()) keys.insert({"floatingip", id});
  for (const auto& [id, g] : state.security_groups()) keys.insert({"security_group", id});
  for (const auto& [id, r] : state.security_group_rules()) keys.insert({"security_group_rule", id});
  return keys;
}
}  // namespace

void LogicalModel::apply_remote_puts(Transaction& tx, const std::vector<StoredRecord>& puts) {
  for (const auto& record : puts) {
    static const std::set<std::string> kKnown = {"network", "subnet",     "agent",          "port",
                                                 "router",  "floatingip", "security_group", "security_group_rule"};
    if (!kKnown.contains(record.kind)) {
      ++remote_records_dropped_;
      spdlog::error("remote {} '{}' is of an unknown kind, skipped", record.kind, record.id);
    }
  }
  // Dependency order: networks, subnets, hosts, groups, then the ports that refer to them,
  // then what refers to ports (routers' interfaces and gateways, floating IPs).
  for (const char* kind :
       {"network", "subnet", "agent", "security_group", "security_group_rule", "port", "router", "floatingip"}) {
    for (const auto& record : puts) {
      if (record.kind != kind) continue;
      bool ok = false;
      if (record.kind == "network") {
        Network n;
        ok = decode_remote(record, n);
        const Network* current = tx.state().find_network(n.id);
        if (ok && (n.vni < kMinVni || n.vni > kMaxVni ||
                   (tx.state().vni_in_use(n.vni) && (!current || current->vni != n.vni)))) {
          spdlog::error("remote network '{}' has an invalid or duplicate VNI {}, skipped", n.id, n.vni);
          ok = false;
        }
        if (ok) tx.put_network(n);
      } else if (record.kind == "subnet") {
        Subnet s;
        ok = decode_remote(record, s) && tx.state().find_network(s.network_id) != nullptr;
        if (ok) tx.put_subnet(s);
      } else if (record.kind == "agent") {
        Agent a;
        ok = decode_remote(record, a);
        const Agent* same_host = ok ? tx.state().find_agent_by_host(a.host) : nullptr;
        if (same_host && same_host->id != a.id) {
          spdlog::error("remote agent '{}' duplicates host {}, skipped", a.id, a.host);
          ok = false;
        }
        if (ok) tx.put_agent(a);
      } else if (record.kind == "security_group") {
        SecurityGroup g;
        ok = decode_remote(record, g);
        if (ok) tx.put_security_group(g);
      } else if (record.kind == "security_group_rule") {
        SecurityGroupRule r;
        ok = decode_remote(record, r) && tx.state().find_security_group(r.security_group_id) != nullptr;
        if (ok) tx.put_security_group_rule(r);
      } else if (record.kind == "router") {
        Router r;
        ok = decode_remote(record, r);
        if (ok) tx.put_router(r);
      } else if (record.kind == "floatingip") {
        FloatingIp f;
        ok = decode_remote(record, f) && tx.state().find_network(f.floating_network_id) != nullptr;
        if (ok) tx.put_floating_ip(f);
      } else {
        Port p;
        ok = decode_remote(record, p) && tx.state().find_network(p.network_id) != nullptr;
        for (const auto& fixed : ok ? p.fixed_ips : std::vector<FixedIp>{}) {
          const Subnet* subnet = tx.state().find_subnet(fixed.subnet_id);
          if (!subnet || subnet->network_id != p.network_id) ok = false;
        }
        if (ok) tx.put_port(p);
      }
      if (!ok) {
        ++remote_records_dropped_;
        spdlog::error("remote {} '{}' not applied (unreadable or refers to something missing)", record.kind,
                      record.id);
      }
    }
  }
}

void LogicalModel::apply_remote_deletes(Transaction& tx, const std::vector<RecordKey>& deletes) {
  // What refers to others first: floating IPs and routers (to ports), ports (to subnets,
  // networks and groups), rules (to groups).
  for (const char* kind : {"floatingip", "router", "port", "security_group_rule", "security_group", "subnet",
                           "network", "agent"}) {
    for (const auto& key : deletes) {
      if (key.kind != kind) continue;
      if (key.kind == "floatingip") tx.erase_floating_ip(key.id);
      if (key.kind == "router") tx.erase_router(key.id);
      if (key.kind == "security_group_rule") tx.erase_security_group_rule(key.id);
      if (key.kind == "security_group") tx.erase_security_group(key.id);
      if (key.kind == "port") tx.erase_port(key.id);
      if (key.kind == "subnet") tx.erase_subnet(key.id);
      if (key.kind == "network") tx.erase_network(key.id);
      if (key.kind == "agent") tx.erase_agent(key.id);
    }
  }
}

void LogicalModel::apply_remote(const RemoteChange& change) {
  std::unique_lock lock(mutex_);
  if (!store_.take_remote(change)) return;  // our own commit, whose reply beat the watch
  Transaction tx(state_);
  std::vector<RecordKey> deletes = change.deletes;
  if (change.full) {
    auto absent = keys_of(state_);
    for (const auto& record : change.puts) absent.erase({record.kind, record.id});
    for (const auto& [kind, id] : absent) deletes.push_back({kind, id});
  }
  // Deletes before puts: what a committed transaction leaves in place never refers to
  // what it removed, but a put may reuse what a delete frees (a VNI, after a resync).
  apply_remote_deletes(tx, deletes);
  apply_remote_puts(tx, change.puts);
  tx.accept();
  ChangeSet changes = tx.change_set();
  spdlog::debug("applied remote revision {}: {} puts, {} deletes", change.revision, change.puts.size(),
                deletes.size());
  dispatcher_.enqueue(std::move(changes));
  lock.unlock();
  dispatcher_.deliver();
}

uint64_t LogicalModel::remote_records_dropped() const {
  std::shared_lock lock(mutex_);
  return remote_records_dropped_;
}

}  // namespace overcast::controller
