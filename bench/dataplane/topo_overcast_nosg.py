"""Overcast without security groups: the `overcast` system with port security off on both
ports (no anti-spoofing, no security groups, no connection tracking). Beside the `overcast`
column, which runs with each port in its project's default group, it shows what the stateful
firewall costs."""

import topo_overcast

NAME = "overcast-nosg"
TITLE = "Overcast, no SG"


def build(reg, names, workdir, bin_dir, agent_args=()):
    return topo_overcast.build(reg, names, workdir, bin_dir, agent_args, port_security=False)
