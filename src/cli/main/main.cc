// overcast: the operator's command-line tool.
#include <iostream>

#include "cli/main/app.h"
#include "cli/lab/lab_commands.h"

int main(int argc, char** argv) {
  std::function<void(CLI::App&)> extra = [](CLI::App& root) { overcast::cli::register_lab_commands(root); };
  return overcast::cli::run_cli(argc, argv, std::cout, std::cerr, extra);
}
