// Key layout and --store URL parsing of the etcd store (no etcd needed).
#include <gtest/gtest.h>

#include "controller/store/etcd_keys.h"

namespace overcast::controller::etcd {
namespace {

TEST(EtcdKeys, RecordKeyRoundTrips) {
  KeyLayout keys("/oc");
  EXPECT_EQ(keys.record_key("port", "abc"), "/oc/model/port/abc");
  auto parsed = keys.parse_record_key(keys.record_key("port", "abc"));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->kind, "port");
  EXPECT_EQ(parsed->id, "abc");
}

TEST(EtcdKeys, SlashesAndPercentsInIdsAreEscapedAndComeBack) {
  KeyLayout keys("/oc");
  const std::string id = "a/b%c d";
  const std::string key = keys.record_key("network", id);
  EXPECT_EQ(key, "/oc/model/network/a%2Fb%25c%20d");
  auto parsed = keys.parse_record_key(key);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->id, id);
}

TEST(EtcdKeys, SequenceForeignAndMalformedKeysAreNotRecords) {
  KeyLayout keys("/oc");
  EXPECT_FALSE(keys.parse_record_key(keys.sequence_key()));
  EXPECT_FALSE(keys.parse_record_key("/other/model/port/x"));
  EXPECT_FALSE(keys.parse_record_key("/oc/model/port"));
  EXPECT_FALSE(keys.parse_record_key("/oc/model/port/"));
  EXPECT_FALSE(keys.parse_record_key("/oc/model//x"));
  EXPECT_FALSE(keys.parse_record_key("/oc/model/port/a/b"));
  EXPECT_FALSE(keys.parse_record_key("/oc/model/port/a%2"));
  EXPECT_FALSE(keys.parse_record_key("/oc/model/port/a%zz"));
}

TEST(EtcdKeys, SequenceKeySortsInsideTheModelRange) {
  KeyLayout keys("/oc");
  EXPECT_GE(keys.sequence_key(), keys.model_prefix());
  EXPECT_LT(keys.sequence_key(), keys.model_range_end());
  EXPECT_LT(keys.record_key("port", "\xff\xff"), keys.model_range_end());
}

TEST(EtcdKeys, PrefixRangeEnd) {
  EXPECT_EQ(prefix_range_end("/a/"), "/a0");
  EXPECT_EQ(prefix_range_end(std::string("a\xff", 2)), "b");
  EXPECT_EQ(prefix_range_end(std::string("\xff", 1)), std::string(1, '\0'));
}

TEST(EtcdStoreUrl, ListOfEndpoints) {
  std::string error;
  auto endpoints = parse_store_url("etcd://127.0.0.1:2379,10.0.0.2:2479,[::1]:2579", error);
  ASSERT_TRUE(endpoints) << error;
  EXPECT_EQ(*endpoints, (std::vector<std::string>{"127.0.0.1:2379", "10.0.0.2:2479", "[::1]:2579"}));
}

TEST(EtcdStoreUrl, BadUrlsSayWhy) {
  for (const char* bad : {"127.0.0.1:2379", "http://127.0.0.1:2379", "etcd://", "etcd://h:2379,",
                          "etcd://h", "etcd://h:0", "etcd://h:65536", "etcd://h:x", "etcd://::1:2379"}) {
    std::string error;
    EXPECT_FALSE(parse_store_url(bad, error)) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
}

}  // namespace
}  // namespace overcast::controller::etcd
