using System.Text.Json.Nodes;

namespace Injector.Core.Tests.ApiServer;

/// <summary>
/// A Vault-agent-like webhook: adds <c>VAULT_ADDR</c> to the env and a secret to the envFrom of every container and
/// init container (ours included) that lacks them. Idempotent, reinvocationPolicy IfNeeded, matches every pod.
/// </summary>
public sealed class VaultLikeWebhook : IMutatingWebhook
{
    public const string EnvName = "VAULT_ADDR";
    public const string EnvValue = "https://vault.vault.svc:8200";
    public const string EnvFromSecret = "vault-env";

    public string Name => "vault.hashicorp.com";

    public ReinvocationPolicy Policy => ReinvocationPolicy.IfNeeded;

    public bool Matches(JsonObject pod) => true;

    public WebhookResponse Answer(JsonObject review) => JsonPatchBuilder.Respond(review, pod =>
    {
        var spec = pod["spec"]!.AsObject();
        foreach (var key in new[] { "initContainers", "containers" })
        {
            foreach (var container in PodDefaults.Items(spec, key))
            {
                if (container["env"] is not JsonArray env)
                {
                    env = [];
                    container["env"] = env;
                }

                if (!env.OfType<JsonObject>().Any(e => PodDefaults.Text(e["name"]) == EnvName))
                {
                    env.Add(new JsonObject { ["name"] = EnvName, ["value"] = EnvValue });
                }

                if (container["envFrom"] is not JsonArray envFrom)
                {
                    envFrom = [];
                    container["envFrom"] = envFrom;
                }

                if (!envFrom.OfType<JsonObject>().Any(e => PodDefaults.Text(e["secretRef"]?["name"]) == EnvFromSecret))
                {
                    envFrom.Add(new JsonObject { ["secretRef"] = new JsonObject { ["name"] = EnvFromSecret } });
                }
            }
        }

        return pod;
    });

    public static bool HasVault(JsonObject container) =>
        PodDefaults.Items(container, "env").Any(e => PodDefaults.Text(e["name"]) == EnvName && PodDefaults.Text(e["value"]) == EnvValue) &&
        PodDefaults.Items(container, "envFrom").Any(e => PodDefaults.Text(e["secretRef"]?["name"]) == EnvFromSecret);
}
