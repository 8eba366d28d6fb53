"""A memory cgroup for one benchmark process: the kernel's limit, as a pod's (page cache counts, an
overrun is an OOM kill). Needs write access to the memory cgroup hierarchy (root; v1 or v2)."""
import os


class Cgroup:
    """A child of this process's memory cgroup with a limit; v1 (memory controller) or v2 (unified)."""

    def __init__(self, name):
        v1 = self._own_path("memory")
        if v1 is not None and os.path.isdir("/sys/fs/cgroup/memory"):
            self.dir = os.path.join("/sys/fs/cgroup/memory" + v1, name)
            self.limit_file, self.peak_file, self.v1 = "memory.limit_in_bytes", "memory.max_usage_in_bytes", True
        else:
            self.dir = os.path.join("/sys/fs/cgroup" + (self._own_path("") or "/"), name)
            self.limit_file, self.peak_file, self.v1 = "memory.max", "memory.peak", False
        os.makedirs(self.dir, exist_ok=True)

    @staticmethod
    def _own_path(controller):
        with open("/proc/self/cgroup") as f:
            for line in f:
                _, controllers, path = line.rstrip("\n").split(":", 2)
                if controllers.split(",") == [controller] or (controller == "" and controllers == ""):
                    return path
        return None

    def write(self, name, value):
        with open(os.path.join(self.dir, name), "w") as f:
            f.write(str(value))

    def read(self, name):
        with open(os.path.join(self.dir, name)) as f:
            return f.read()

    def limit(self, limit_bytes):
        self.write(self.limit_file, limit_bytes)
        if self.v1:
            self.write("memory.max_usage_in_bytes", 0)

    def join(self):
        """For preexec_fn: moves the child into the cgroup before it execs."""
        self.write("cgroup.procs", os.getpid())

    def peak_bytes(self):
        return int(self.read(self.peak_file).split()[0]) if os.path.exists(os.path.join(self.dir, self.peak_file)) else None

    def oom_kills(self):
        name = "memory.oom_control" if self.v1 else "memory.events"
        for line in self.read(name).splitlines():
            key, value = line.split()
            if key == "oom_kill":
                return int(value)
        return None

    def remove(self):
        os.rmdir(self.dir)
