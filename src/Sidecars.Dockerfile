# syntax=docker/dockerfile:1
# The sidecar images (appup, shawarma, proa): one Native AOT binary on Ubuntu chiseled runtime-deps (no shell, no
# package manager, non-root). One file for the three; the program is a build argument. Build from the repository
# root (the build needs Directory.*.props and the sibling projects):
#   docker build -f src/Sidecars.Dockerfile --build-arg PROJECT=AppUp    -t ghcr.io/sidecars-dev/appup:0.1.0 .
#   docker build -f src/Sidecars.Dockerfile --build-arg PROJECT=Shawarma -t ghcr.io/sidecars-dev/shawarma:0.1.0 .
#   docker build -f src/Sidecars.Dockerfile --build-arg PROJECT=Proa     -t ghcr.io/sidecars-dev/proa:0.1.0 .
# Multi-arch: docker buildx build --platform linux/amd64,linux/arm64 ... (AOT compiles natively per platform).
# The binary is /usr/local/bin/<program> (proa's path is part of the injection contract: ProaContract.ImageBinaryPath);
# the entrypoint /usr/local/bin/sidecar links to it, because ENTRYPOINT cannot take a build argument.
# tests/Charts.Tests/DockerfileTests replays the RUN lines of the build stage against a copy of the build context.

FROM mcr.microsoft.com/dotnet/sdk:10.0-noble-aot AS build
ARG TARGETARCH
ARG PROJECT
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    case "$PROJECT" in AppUp|Shawarma|Proa) ;; *) echo "--build-arg PROJECT=AppUp, Shawarma or Proa (got '$PROJECT')" >&2; exit 2 ;; esac && \
    dotnet publish "src/$PROJECT/$PROJECT.csproj" -c Release -a "$TARGETARCH" -o /out -p:DebugType=none
RUN binary=$(echo "$PROJECT" | tr '[:upper:]' '[:lower:]') && \
    mkdir -p /image/usr/local/bin && \
    install -m 0555 "/out/$binary" "/image/usr/local/bin/$binary" && \
    ln -s "$binary" /image/usr/local/bin/sidecar

FROM mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled
ARG PROJECT
LABEL org.opencontainers.image.source="https://github.com/sidecars-dev/injector" \
      org.opencontainers.image.title="$PROJECT" \
      org.opencontainers.image.licenses="Apache-2.0"
COPY --from=build /image/ /
# The same numeric non-root user the injector's securityContext uses (runAsNonRoot can verify a numeric UID).
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/sidecar"]
