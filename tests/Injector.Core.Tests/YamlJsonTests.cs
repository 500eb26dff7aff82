using System.Text;
using System.Text.Json.Nodes;
using Injector.Core.Tests.Support;
using Injector.Core.Yaml;

namespace Injector.Core.Tests;

/// <summary>
/// YAML as kubectl reads it: sigs.k8s.io/yaml over go-yaml v2 (YAML 1.1 resolution), documents split on
/// <c>---</c> lines by apimachinery's YAMLReader. Expected values come from kubectl 1.32 (see YamlCorpus).
/// </summary>
public sealed class YamlJsonTests
{
    [Theory]
    [InlineData("0755", "493")]
    [InlineData("0400", "256")]
    [InlineData("-0755", "-493")]
    [InlineData("0o17", "15")]
    [InlineData("08", "8")]
    [InlineData("0x_1F", "31")]
    [InlineData("0b1010", "10")]
    [InlineData("-0b11", "-3")]
    [InlineData("1_000", "1000")]
    [InlineData("1.0", "1")]
    [InlineData("1e3", "1000")]
    [InlineData("1e21", "1e+21")]
    [InlineData("1.5e-7", "1.5e-7")]
    [InlineData(".5", "0.5")]
    [InlineData("-0", "0")]
    [InlineData("12345678901234567890", "12345678901234567890")]
    [InlineData("99999999999999999999", "100000000000000000000")]
    [InlineData("yes", "true")]
    [InlineData("Y", "true")]
    [InlineData("on", "true")]
    [InlineData("Off", "false")]
    [InlineData("n", "false")]
    [InlineData("~", "null")]
    [InlineData("1e999", "\"1e999\"")]
    [InlineData("0x1FFFFFFFFFFFFFFFFF", "\"0x1FFFFFFFFFFFFFFFFF\"")]
    [InlineData("190:20:30", "\"190:20:30\"")]
    [InlineData("2001-12-14", "\"2001-12-14\"")]
    [InlineData("._5", "\"._5\"")]
    [InlineData("tRUE", "\"tRUE\"")]
    [InlineData("<<", "\"<<\"")]
    public void Plain_scalars_are_typed_as_kubectl_types_them(string scalar, string json)
    {
        var node = YamlJson.ParseOne($"v: {scalar}\n")!;

        Assert.Equal(json, node["v"]?.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) ?? "null");
    }

    [Theory]
    [InlineData("\"0755\"")]
    [InlineData("'yes'")]
    [InlineData("\"1_000_000\"")]
    [InlineData("\"0b1010\"")]
    [InlineData("!!str 12")]
    [InlineData("! 12")]
    public void Quoted_and_str_tagged_scalars_stay_strings(string scalar)
    {
        var node = YamlJson.ParseOne($"v: {scalar}\n")!;

        Assert.Equal(System.Text.Json.JsonValueKind.String, node["v"]!.GetValueKind());
    }

    [Theory]
    [InlineData("y: 1", "true")]
    [InlineData("n: 1", "false")]
    [InlineData("on: 1", "true")]
    [InlineData("80: 1", "80")]
    [InlineData("0755: 1", "493")]
    [InlineData("1.50: 1", "1.5")]
    [InlineData("1e3: 1", "1000")]
    [InlineData("\"y\": 1", "y")]
    public void Keys_that_are_not_strings_are_spelled_as_kubectl_spells_them(string yaml, string key)
    {
        var node = YamlJson.ParseOne(yaml)!.AsObject();

        Assert.Equal(key, Assert.Single(node).Key);
    }

    [Fact]
    public void Integers_read_from_yaml_are_ints_to_the_engine()
    {
        var node = YamlJson.ParseOne("ports: [{containerPort: 9999}, {containerPort: 0x270F}]")!;

        Assert.True(node["ports"]![0]!["containerPort"]!.AsValue().TryGetValue<int>(out var port));
        Assert.Equal(9999, port);
        Assert.True(node["ports"]![1]!["containerPort"]!.AsValue().TryGetValue<int>(out port));
        Assert.Equal(9999, port);
    }

    [Fact]
    public void Merge_keys_merge_as_go_yaml_v2_merges_them()
    {
        var node = YamlJson.ParseOne("""
            base: &base {image: nginx, imagePullPolicy: Always}
            extra: &extra {imagePullPolicy: IfNotPresent, env: []}
            after:
              <<: *base
              image: nginx:1.27
            before:
              image: busybox
              <<: *base
            list:
              <<: [*base, *extra]
            quoted:
              "<<": text
            """)!;

        Assert.Equal("""{"image":"nginx:1.27","imagePullPolicy":"Always"}""", node["after"]!.ToJsonString());
        // go-yaml v2 applies the merge where it stands, so a key before '<<' is overwritten (kubectl agrees).
        Assert.Equal("""{"image":"nginx","imagePullPolicy":"Always"}""", node["before"]!.ToJsonString());
        // In a list of merges the earlier mapping wins.
        Assert.Equal("Always", node["list"]!["imagePullPolicy"]!.GetValue<string>());
        Assert.NotNull(node["list"]!["env"]);
        Assert.Equal("text", node["quoted"]!["<<"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("v: .inf")]
    [InlineData("v: -.Inf")]
    [InlineData("v: .nan")]
    public void Values_json_cannot_hold_are_refused(string yaml)
    {
        var ex = Assert.Throws<YamlJsonException>(() => YamlJson.ParseAll(yaml));

        Assert.Contains("line 1", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a: 1\nb: [1, 2\n", 3)]
    [InlineData("a: 1\n  b: 2\n", 2)]
    [InlineData("a: *missing\n", 1)]
    [InlineData("a:\n\t- 1\n", 2)]
    [InlineData("? [a]\n: 1\n", 1)]
    [InlineData("~: 1\n", 1)]
    [InlineData("a: !!int abc\n", 1)]
    [InlineData("<<: 1\n", 1)]
    public void Errors_carry_the_line(string yaml, int line)
    {
        var ex = Assert.Throws<YamlJsonException>(() => YamlJson.ParseAll(yaml));

        Assert.Equal(line, ex.Line);
        Assert.StartsWith($"line {line}, column ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Line_numbers_count_from_the_top_of_the_stream_in_later_documents()
    {
        var ex = Assert.Throws<YamlJsonException>(() => YamlJson.ParseAll("a: 1\n---\nb: 2\n---\nc: [\n"));

        Assert.Equal(6, ex.Line);
    }

    [Fact]
    public void An_alias_bomb_is_refused_early_with_little_memory()
    {
        var yaml = TestInputs.AliasBomb(levels: 6);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var ex = Assert.Throws<YamlJsonException>(() => YamlJson.ParseAll(yaml));

        Assert.Contains("alias", ex.Message, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 32 * 1024 * 1024, "allocated more than 32 MB before refusing");
    }

    [Fact]
    public void Aliases_in_ordinary_use_are_expanded()
    {
        var node = YamlJson.ParseOne("a: &a {x: [1, 2]}\nb: *a\nc: [*a, *a]\n")!;

        Assert.Equal("""{"x":[1,2]}""", node["b"]!.ToJsonString());
        Assert.Equal(2, node["c"]!.AsArray().Count);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused()
    {
        var depth = 600;
        var yaml = "v: " + new string('[', depth) + new string(']', depth) + "\n";

        var ex = Assert.Throws<YamlJsonException>(() => YamlJson.ParseAll(yaml));

        Assert.Contains("nest", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Multi_document_streams_skip_empty_and_null_documents()
    {
        var docs = YamlJson.ParseAll("---\na: 1\n---\n---\n# comment\n--- # after the marker\nb: 2\n...\n---\n~\n---\nc: 3");

        Assert.Equal(["""{"a":1}""", """{"b":2}""", """{"c":3}"""], docs.Select(d => d!.ToJsonString()));
    }

    [Fact]
    public void A_separator_line_with_content_is_an_error_as_in_kubectl()
    {
        var ex = Assert.Throws<YamlJsonException>(() => YamlJson.ParseAll("a: 1\n--- {b: 2}\n"));

        Assert.Equal(2, ex.Line);
    }

    [Fact]
    public void A_json_stream_is_read_as_json()
    {
        var docs = YamlJson.ParseAll("""
            {"a": 1, "s": "x\/y"} {"b": [true, null], "dup": 1, "dup": 2}
            """);

        Assert.Equal(["""{"a":1,"s":"x/y"}""", """{"b":[true,null],"dup":2}"""], docs.Select(d => d!.ToJsonString()));
    }

    [Fact]
    public void Writes_yaml_that_kubectl_reads_back_to_the_same_values()
    {
        var original = JsonNode.Parse("""
            {"mode":493,"octal":"0755","under":"1_000_000","bin":"0b1010","yes":"yes","y":"y","date":"2001-12-14",
             "tab":"\tfirst\nsecond\n","crlf":"a\r\nb","script":"echo hi\nexit 0\n","noEnd":"a\nb","keep":"a\n\n",
             "list":[{"name":"a","args":["-c","x: y"]},"b",[1,2]],"empty":{},"none":[],"nothing":null,"f":1.5,"t":true,
             "---":"dashes","key: colon":"#hash","nel":"a\u0085b","ls":"a\u2028b"}
            """)!;

        var yaml = YamlJson.Serialize([original]);

        Assert.Equal("""
            mode: 493
            octal: "0755"
            under: "1_000_000"
            bin: "0b1010"
            "yes": "yes"
            "y": "y"
            date: "2001-12-14"
            tab: |2
              	first
              second
            crlf: "a\r\nb"
            script: |
              echo hi
              exit 0
            noEnd: |-
              a
              b
            keep: |+
              a

            list:
            - name: a
              args:
              - -c
              - "x: y"
            - b
            - - 1
              - 2
            empty: {}
            none: []
            nothing: null
            f: 1.5
            t: true
            "---": dashes
            "key: colon": "#hash"
            nel: "a\Nb"
            ls: "a\Lb"

            """.Replace("\r\n", "\n", StringComparison.Ordinal), yaml);
        Assert.True(JsonNode.DeepEquals(original, YamlJson.ParseOne(yaml)));
    }

    [Fact]
    public void Multiple_documents_are_separated_by_dashes()
    {
        var yaml = YamlJson.Serialize([JsonNode.Parse("""{"a":1}"""), JsonNode.Parse("""{"b":2}""")]);

        Assert.Equal("a: 1\n---\nb: 2\n", yaml);
    }

    [Fact]
    public void Lone_surrogates_are_refused_as_go_yaml_refuses_them()
    {
        Assert.Throws<YamlJsonException>(() => YamlJson.ParseAll("v: \"\\uD800\"\n"));
    }

    [Fact]
    public void A_plain_key_may_end_with_a_colon_when_another_follows()
    {
        Assert.Equal("""{"a:":"b"}""", YamlJson.ParseOne("a:: b\n")!.ToJsonString());
    }

    [Theory]
    [InlineData("a *b: 1\n")]
    [InlineData("- x\n- a *b: c\n")]
    [InlineData("x: [a:, b]\n")]
    [InlineData("x: {a:, b: 1}\n")]
    [InlineData("x: [?a]\n")]
    [InlineData("x: [http://host/p?q=1]\n")]
    public void Plain_scalars_our_parser_would_misread_are_refused_not_misread(string yaml)
    {
        // kubectl reads {"a *b": 1}, ["a:", "b"], [{"a": null}] (or fails on "p?q"); YamlDotNet reads otherwise.
        var ex = Assert.Throws<YamlJsonException>(() => YamlJson.ParseAll(yaml));

        Assert.Contains("quote", ex.Message, StringComparison.Ordinal);
    }
}
