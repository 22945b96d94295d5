// How Overcast's records are laid out in etcd's flat key space, and how the
// `--store etcd://host:port,...` address is read.
//
//   <prefix>/model/<kind>/<id>   one record; its value is the record's JSON body
//   <prefix>/model/!sequence     touched by every model transaction (see etcd_store.h)
//
// Kinds and ids are escaped so that neither can contain the '/' that separates them:
// '%' and '/' (and anything below 0x21) become %XX.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "controller/store/store.h"

namespace overcast::controller::etcd {

class KeyLayout {
 public:
  explicit KeyLayout(std::string prefix = "/overcast");

  std::string record_key(const std::string& kind, const std::string& id) const;
  // Every model key starts with this; range_end() is the first key after them all.
  const std::string& model_prefix() const { return model_prefix_; }
  std::string model_range_end() const;
  const std::string& sequence_key() const { return sequence_key_; }
  // The (kind, id) of a record key; nullopt for the sequence key, keys outside the
  // model, and keys that are not well formed.
  std::optional<RecordKey> parse_record_key(const std::string& key) const;

 private:
  std::string model_prefix_;
  std::string sequence_key_;
};

std::string escape_component(const std::string& text);
std::optional<std::string> unescape_component(const std::string& text);
// The first key greater than every key starting with `prefix` (etcd's range_end for a
// prefix); "\0" when there is none (every key).
std::string prefix_range_end(const std::string& prefix);

// "etcd://HOST:PORT,HOST:PORT" → {"HOST:PORT", ...}. nullopt with `error` set when the
// scheme is missing, the list is empty or an endpoint is not HOST:PORT.
std::optional<std::vector<std::string>> parse_store_url(const std::string& url, std::string& error);

}  // namespace overcast::controller::etcd
