// One host's view as the controller last computed it, partitioned by network so a
// change in one network touches only that network's slice. Holds the view's version
// and a bounded history of recent deltas so a reconnecting agent can resume.
//
// Memory: entries are immutable and shared (EntryRef), so the remote-port entry of a
// port is held once for all the hosts of its network, not once per host; the history
// keeps deltas serialized (a parsed protobuf takes several times its wire size).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "overcast/southbound.pb.h"

namespace overcast::controller {

namespace sb = overcast::southbound::v1;

using EntryRef = std::shared_ptr<const sb::ViewEntry>;

// Collects the differences of one change for one host. A key removed from one
// slice and upserted in another (a port that moved networks) ends as an upsert.
class ViewChanges {
 public:
  void upsert(const sb::ViewEntry& entry);
  void remove(const std::string& key);
  bool empty() const { return upserts_.empty() && removals_.empty(); }
  const std::map<std::string, sb::ViewEntry>& upserts() const { return upserts_; }
  const std::set<std::string>& removals() const { return removals_; }

 private:
  std::map<std::string, sb::ViewEntry> upserts_;
  std::set<std::string> removals_;
};

class HostView {
 public:
  using Slice = std::map<std::string, EntryRef>;  // key -> entry (never null)

  uint64_t version() const { return version_; }
  // Sets (or, with nullopt, removes) one entry of a network's slice; records real differences.
  void set_entry(const std::string& network_id, const std::string& key,
                 const EntryRef& desired, ViewChanges& changes);  // desired null: remove
  // Replaces a network's whole slice; records real differences.
  void replace_slice(const std::string& network_id, Slice desired, ViewChanges& changes);

  // Turns recorded changes into the next version's Delta and keeps it in the history
  // (at most `history_limit` deltas and `history_max_bytes` serialized bytes; a delta
  // bigger than that, like the first one of a big host, is not kept: a snapshot is
  // as cheap to send then).
  sb::Delta commit(const ViewChanges& changes, const std::string& epoch, size_t history_limit,
                   size_t history_max_bytes);

  sb::Snapshot snapshot(const std::string& epoch) const;
  // The deltas that bring a holder of `version` to the current version, or nullopt
  // when the history no longer reaches back that far (or `version` is in the future).
  std::optional<std::vector<sb::Delta>> deltas_since(uint64_t version) const;

  size_t entry_count() const;
  size_t history_size() const { return history_.size(); }
  const std::map<std::string, Slice>& slices() const { return slices_; }
  // The entry `key` of the network's slice, or null.
  const EntryRef* find(const std::string& network_id, const std::string& key) const;

 private:
  std::map<std::string, Slice> slices_;  // network id -> slice
  uint64_t version_ = 0;
  struct KeptDelta {
    uint64_t from_version = 0;
    std::string bytes;  // the serialized Delta
  };
  std::deque<KeptDelta> history_;
  size_t history_bytes_ = 0;
};

}  // namespace overcast::controller
