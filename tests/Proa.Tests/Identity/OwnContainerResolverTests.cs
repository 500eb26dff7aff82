using Proa.Identity;
using Proa.Tests.Infrastructure;

namespace Proa.Tests.Identity;

public sealed class OwnContainerResolverTests
{
    // Trimmed /proc/self/mountinfo of a containerd container named "envoy".
    private const string MountInfo = """
        1621 1454 0:243 / / rw,relatime master:520 - overlay overlay rw,lowerdir=/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/91/fs
        1627 1621 254:1 /var/lib/kubelet/pods/6f1f3a52-3d1e-4f57-9a57-2f4f3c7e2a10/etc-hosts /etc/hosts rw,relatime - ext4 /dev/vda1 rw
        1628 1621 254:1 /var/lib/kubelet/pods/6f1f3a52-3d1e-4f57-9a57-2f4f3c7e2a10/containers/envoy/5c1f3d7a /dev/termination-log rw,relatime - ext4 /dev/vda1 rw
        1629 1621 254:1 /var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/0d3c/hostname /etc/hostname rw,relatime - ext4 /dev/vda1 rw
        """;

    [Fact]
    public void Environment_variable_wins() =>
        Assert.Equal(("envoy", "PROA_CONTAINER_NAME"), OwnContainerResolver.Resolve(" envoy ", MountInfo.Replace("envoy", "app", StringComparison.Ordinal), TestPods.NotReady().Element()));

    [Fact]
    public void Termination_log_mount_names_the_container() =>
        Assert.Equal(("envoy", "/proc/self/mountinfo"), OwnContainerResolver.Resolve(null, MountInfo, TestPods.NotReady().Element()));

    [Fact]
    public void Mount_of_a_name_the_pod_does_not_have_is_ignored() =>
        Assert.Null(OwnContainerResolver.FromMountInfo(MountInfo, ["app", "sidecar"]));

    [Fact]
    public void Falls_back_to_the_first_container() =>
        Assert.Equal(("app", "first container of the pod"), OwnContainerResolver.Resolve("", "1 2 0:1 / / rw - overlay overlay rw", TestPods.NotReady().Element()));
}
