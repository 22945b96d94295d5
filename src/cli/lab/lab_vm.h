// A lab VM is a network namespace holding the TAP that a hypervisor's agent made for a
// port: `lab vm` moves the TAP in and configures it as the guest would: its MAC, then by
// DHCP (a client running in the VM, vm_dhcp.h: address, mask, MTU, default and host
// routes) or, with --static, the port's fixed IP, MTU and default route set directly.
// The agent keeps the file side, so its frames enter the overlay.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "cli/lab/lab_options.h"
#include "cli/lab/lab_plan.h"
#include "cli/lab/lab_state.h"

namespace overcast::cli::lab {

inline constexpr int kTapWaitTimeoutMs = 15000;

// What a VM needs from the API: the port, its first IPv4 fixed IP's subnet, and its
// network. Pure, for tests: throws LabError naming what is missing or malformed.
VmRecord vm_record_from_api(const std::string& vm_name, const nlohmann::json& port,
                            const nlohmann::json* subnet, const nlohmann::json* network);

// Looks PORT (name or ID) up through the API, waits for its TAP on the bound hypervisor,
// builds namespace <P>-vm-NAME around it, configures it (by DHCP unless `static_addressing`
// or the port has no IPv4 address) and records the VM in `state`. A port whose subnet has
// enable_dhcp false needs `static_addressing`.
VmRecord attach_vm(const LabOptions& options, LabState& state, const std::string& vm_name,
                   const std::string& port, bool static_addressing);

// (Re)configures the VM inside its namespace: its MAC, then its address, MTU and routes,
// statically or by (re)starting its DHCP client and waiting for the lease.
void configure_vm(const LabOptions& options, const LabNames& names, const VmRecord& vm);

// Whether `tap` appears in namespace `ns` within `timeout_ms`.
bool wait_for_link(const std::string& ns, const std::string& tap, int timeout_ms);

}  // namespace overcast::cli::lab
