# The two commands of a fresh Debian 12 machine: `make demo` and `make test`.
# Each installs what is missing, configures and builds into build/, then runs.

BUILD_DIR ?= build
JOBS ?= $(shell nproc)

.PHONY: all build deps configure demo test unit-test system-test clean bench-micro

all: build

deps:
	@scripts/install-deps.sh

$(BUILD_DIR)/build.ninja: CMakeLists.txt
	cmake -S . -B $(BUILD_DIR) -G Ninja

configure: deps $(BUILD_DIR)/build.ninja

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

unit-test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) -L unit

system-test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -L system

demo: build
	scripts/demo.sh

bench-micro: build
	$(BUILD_DIR)/bin/overcast-bench-micro

clean:
	rm -rf $(BUILD_DIR)

# Overcast's data plane against kernel VXLAN + bridge, Open vSwitch (userspace datapath) and a
# plain veth, in namespaces (bench/dataplane/run.py --help). Needs root; BENCH_ARGS passes flags,
# e.g. make bench-dataplane BENCH_ARGS="--duration 10 --systems overcast,kernel".
BENCH_ARGS ?=
.PHONY: bench-dataplane
bench-dataplane: build
	@scripts/install-bench-deps.sh
	/usr/bin/python3 bench/dataplane/run.py --bin-dir $(BUILD_DIR)/bin --out $(BUILD_DIR)/bench/dataplane $(BENCH_ARGS)

# The control plane at cloud scale: N simulated hypervisors (real southbound sessions, no data
# plane) against a real controller driven through the Neutron API (bench/scale/run.py --help).
# SCALE_ARGS passes flags, e.g. make bench-scale SCALE_ARGS="--point 1000,10000,100000".
SCALE_ARGS ?=
.PHONY: bench-scale
bench-scale: build
	@/usr/bin/python3 -c 'import matplotlib' 2>/dev/null || { [ "$$(id -u)" -eq 0 ] && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-matplotlib; } || \
	  echo "bench-scale: no python3-matplotlib (not root): the PNG chart is skipped"
	/usr/bin/python3 bench/scale/run.py --bin-dir $(BUILD_DIR)/bin --out $(BUILD_DIR)/bench/scale $(SCALE_ARGS)
