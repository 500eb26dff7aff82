using System.Text.Json.Nodes;

namespace Injector.Core.Tests.ApiServer;

/// <summary>
/// A compiled-in mutating admission plugin of kube-apiserver. It edits the pod in place; the chain runs all of them
/// before the webhooks in the first round and again at the start of the reinvocation round
/// (staging/src/k8s.io/apiserver/pkg/admission/reinvocation.go: "Calling admit a second time will reinvoke all
/// in-tree plugins").
/// </summary>
public interface IInTreePlugin
{
    void Admit(JsonObject pod, string ns);
}
