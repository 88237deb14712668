// convtutor: the command-line face of the core (compute, trace). This first version only
// prints its usage; the subcommands follow.
#include <cstdio>

int main() {
  std::puts("usage: convtutor compute [FILE|-] | trace [FILE|-] --level cell|channel|term [--step I]");
  return 0;
}
