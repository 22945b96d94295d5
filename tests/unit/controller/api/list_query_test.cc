#include "controller/api/list_query.h"

#include <gtest/gtest.h>

namespace overcast::controller::api {
namespace {

using nlohmann::json;

TEST(ListQuery, RepeatedKeysAreOrDifferentKeysAreAnd) {
  auto q = parse_list_query({{"name", "a"}, {"name", "b"}, {"shared", "False"}});
  ASSERT_TRUE(q);
  EXPECT_TRUE(matches_filters(json{{"name", "a"}, {"shared", false}}, q.value()));
  EXPECT_TRUE(matches_filters(json{{"name", "b"}, {"shared", false}}, q.value()));
  EXPECT_FALSE(matches_filters(json{{"name", "c"}, {"shared", false}}, q.value()));
  EXPECT_FALSE(matches_filters(json{{"name", "a"}, {"shared", true}}, q.value()));
}

TEST(ListQuery, ListsNumbersNullsAndFixedIps) {
  const json port{{"security_groups", {"sg1", "sg2"}},
                  {"revision_number", 3},
                  {"qos_policy_id", nullptr},
                  {"fixed_ips", {{{"subnet_id", "s1"}, {"ip_address", "10.0.0.5"}}}}};
  EXPECT_TRUE(matches_filters(port, parse_list_query({{"security_groups", "sg2"}}).value()));
  EXPECT_TRUE(matches_filters(port, parse_list_query({{"revision_number", "3"}}).value()));
  EXPECT_FALSE(matches_filters(port, parse_list_query({{"revision_number", "4"}}).value()));
  EXPECT_TRUE(matches_filters(port, parse_list_query({{"fixed_ips", "ip_address=10.0.0.5"}}).value()));
  EXPECT_TRUE(matches_filters(port, parse_list_query({{"fixed_ips", "subnet_id=s1"}}).value()));
  EXPECT_FALSE(matches_filters(port, parse_list_query({{"fixed_ips", "subnet_id=s2"}}).value()));
  EXPECT_TRUE(matches_filters(port, parse_list_query({{"not_an_attribute", "x"}}).value()));
}

TEST(ListQuery, FieldsAndLimit) {
  auto q = parse_list_query({{"fields", "id"}, {"limit", "5"}, {"marker", "m"}});
  ASSERT_TRUE(q);
  EXPECT_EQ(q.value().limit, 5u);
  EXPECT_EQ(q.value().marker, "m");
  EXPECT_EQ(select_fields(json{{"id", "1"}, {"name", "n"}}, q.value().fields), (json{{"id", "1"}}));
  auto bad = parse_list_query({{"limit", "many"}});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("limit"), std::string::npos);
}

}  // namespace
}  // namespace overcast::controller::api
