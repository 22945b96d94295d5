// How resources are written in the store: JSON bodies with our own (stable) field
// names, independent of the Neutron API's rendering. Decoding is strict: a body that
// lacks a field or has a wrong type throws nlohmann::json::exception, which the loader
// reports with the record's kind and id.
#pragma once

#include <nlohmann/json.hpp>

#include "controller/model/resources.h"

namespace overcast::controller {

void to_json(nlohmann::json& j, const Network& n);
void from_json(const nlohmann::json& j, Network& n);
void to_json(nlohmann::json& j, const AllocationPool& p);
void from_json(const nlohmann::json& j, AllocationPool& p);
void to_json(nlohmann::json& j, const HostRoute& r);
void from_json(const nlohmann::json& j, HostRoute& r);
void to_json(nlohmann::json& j, const Subnet& s);
void from_json(const nlohmann::json& j, Subnet& s);
void to_json(nlohmann::json& j, const FixedIp& f);
void from_json(const nlohmann::json& j, FixedIp& f);
void to_json(nlohmann::json& j, const Port& p);
void from_json(const nlohmann::json& j, Port& p);
void to_json(nlohmann::json& j, const Agent& a);
void from_json(const nlohmann::json& j, Agent& a);
void to_json(nlohmann::json& j, const AllowedAddressPair& a);
void from_json(const nlohmann::json& j, AllowedAddressPair& a);
void to_json(nlohmann::json& j, const Router& r);
void from_json(const nlohmann::json& j, Router& r);
void to_json(nlohmann::json& j, const FloatingIp& f);
void from_json(const nlohmann::json& j, FloatingIp& f);
void to_json(nlohmann::json& j, const SecurityGroup& g);
void from_json(const nlohmann::json& j, SecurityGroup& g);
void to_json(nlohmann::json& j, const SecurityGroupRule& r);
void from_json(const nlohmann::json& j, SecurityGroupRule& r);

}  // namespace overcast::controller
