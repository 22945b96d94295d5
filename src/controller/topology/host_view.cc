#include "controller/topology/host_view.h"

#include <algorithm>

#include "controller/topology/view_entries.h"

namespace overcast::controller {

void ViewChanges::upsert(const sb::ViewEntry& entry) {
  removals_.erase(entry.key());
  upserts_[entry.key()] = entry;
}

void ViewChanges::remove(const std::string& key) {
  if (upserts_.count(key) == 0) removals_.insert(key);
}

void HostView::set_entry(const std::string& network_id, const std::string& key, const EntryRef& desired,
                         ViewChanges& changes) {
  auto slice_it = slices_.find(network_id);
  if (!desired) {
    if (slice_it == slices_.end()) return;
    if (slice_it->second.erase(key) != 0) changes.remove(key);
    if (slice_it->second.empty()) slices_.erase(slice_it);
    return;
  }
  Slice& slice = slices_[network_id];
  auto it = slice.find(key);
  if (it != slice.end() && (it->second == desired || same_entry(*it->second, *desired))) return;
  slice[key] = desired;
  changes.upsert(*desired);
}

void HostView::replace_slice(const std::string& network_id, Slice desired, ViewChanges& changes) {
  auto slice_it = slices_.find(network_id);
  if (slice_it != slices_.end()) {
    for (const auto& [key, entry] : slice_it->second) {
      if (desired.count(key) == 0) changes.remove(key);
    }
  }
  for (const auto& [key, entry] : desired) {
    bool unchanged = false;
    if (slice_it != slices_.end()) {
      auto old = slice_it->second.find(key);
      unchanged = old != slice_it->second.end() && (old->second == entry || same_entry(*old->second, *entry));
    }
    if (!unchanged) changes.upsert(*entry);
  }
  if (desired.empty()) {
    if (slice_it != slices_.end()) slices_.erase(slice_it);
  } else {
    slices_[network_id] = std::move(desired);
  }
}

sb::Delta HostView::commit(const ViewChanges& changes, const std::string& epoch, size_t history_limit,
                           size_t history_max_bytes) {
  sb::Delta delta;
  delta.set_epoch(epoch);
  delta.set_from_version(version_);
  delta.set_version(++version_);
  for (const auto& [key, entry] : changes.upserts()) *delta.add_upserts() = entry;
  for (const auto& key : changes.removals()) delta.add_removals(key);
  const size_t bytes = delta.ByteSizeLong();
  if (bytes > history_max_bytes) {
    history_.clear();  // a gap: older deltas cannot bridge to the newer ones any more
    history_bytes_ = 0;
    return delta;
  }
  history_.push_back({delta.from_version(), delta.SerializeAsString()});
  history_bytes_ += bytes;
  while (history_.size() > history_limit || history_bytes_ > history_max_bytes) {
    history_bytes_ -= history_.front().bytes.size();
    history_.pop_front();
  }
  return delta;
}

sb::Snapshot HostView::snapshot(const std::string& epoch) const {
  sb::Snapshot snapshot;
  snapshot.set_epoch(epoch);
  snapshot.set_version(version_);
  std::vector<const sb::ViewEntry*> entries;
  for (const auto& [network_id, slice] : slices_) {
    for (const auto& [key, entry] : slice) entries.push_back(entry.get());
  }
  std::sort(entries.begin(), entries.end(),
            [](const sb::ViewEntry* a, const sb::ViewEntry* b) { return a->key() < b->key(); });
  for (const auto* entry : entries) *snapshot.add_entries() = *entry;
  return snapshot;
}

std::optional<std::vector<sb::Delta>> HostView::deltas_since(uint64_t version) const {
  if (version > version_) return std::nullopt;
  std::vector<sb::Delta> missing;
  if (version == version_) return missing;
  auto it = std::find_if(history_.begin(), history_.end(),
                         [version](const KeptDelta& d) { return d.from_version == version; });
  if (it == history_.end()) return std::nullopt;
  for (; it != history_.end(); ++it) {
    sb::Delta delta;
    if (!delta.ParseFromString(it->bytes)) return std::nullopt;  // cannot happen: we wrote it; a snapshot is safe
    missing.push_back(std::move(delta));
  }
  return missing;
}

const EntryRef* HostView::find(const std::string& network_id, const std::string& key) const {
  auto slice = slices_.find(network_id);
  if (slice == slices_.end()) return nullptr;
  auto it = slice->second.find(key);
  return it == slice->second.end() ? nullptr : &it->second;
}

size_t HostView::entry_count() const {
  size_t count = 0;
  for (const auto& [network_id, slice] : slices_) count += slice.size();
  return count;
}

}  // namespace overcast::controller
