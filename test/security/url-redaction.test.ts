import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import YAML from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redactUrl, redactUrlsIn } from "../../src/shared/url-redaction.ts";
import { createTestDatabase, postgresAvailable } from "../support/services.ts";
import { freePort, spawnCurbwatch, waitForHttp, type Spawned } from "../support/process.ts";
import { repoRoot } from "../support/paths.ts";

describe("URL redaction", () => {
  it.each([
    ["rtsp://admin:Pw-1@cam:554/live", "rtsp://***@cam:554/live"],
    ["rtsp://cam/p?user=admin&password=Pw-1&channel=1", "rtsp://cam/p?user=admin&password=***&channel=1"],
    [
      "rtsp://cam/p?pass=a&pwd=b&passwd=c&token=d&access_token=e&key=f&api_key=g&secret=h&auth=i&signature=j&X-Amz-Signature=k",
      "rtsp://cam/p?pass=***&pwd=***&passwd=***&token=***&access_token=***&key=***&api_key=***&secret=***&auth=***&signature=***&X-Amz-Signature=***",
    ],
    ["mqtts://edge:Pw-2@broker:8883", "mqtts://***@broker:8883"],
    ["http://h/x?Password=P%26w&stream=1#frag", "http://h/x?Password=***&stream=1#frag"],
    ["rtsp://cam/live", "rtsp://cam/live"],
  ])("%s", (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
    expect(redactUrlsIn(`error opening ${input}: Connection refused`)).toBe(`error opening ${expected}: Connection refused`);
  });

  it("finds URLs inside log lines and ffmpeg errors, JSON-escaped or not", () => {
    const line = JSON.stringify({
      err: {
        message: "[tcp @ 0x5] Connection to tcp://u:Pw-3@10.0.0.1:554?timeout=0&token=Tk-4 failed",
        stack: "Error: rtsp://10.0.0.1/a?secret=S-5\n    at x",
      },
    });
    const out = redactUrlsIn(line);
    expect(out).not.toMatch(/Pw-3|Tk-4|S-5/);
    expect(JSON.parse(out).err.message).toBe("[tcp @ 0x5] Connection to tcp://***@10.0.0.1:554?timeout=0&token=*** failed");
  });
});

const SECRETS = ["UserInfo-Secret-1", "Query-Password-2", "Query-Token-3", "Query-Signature-4", "Query-Key-5", "Query-Auth-6"];

describe.runIf(postgresAvailable())(
  "curbwatch start: a camera URL with credentials in user info and query never reaches a log line or a health message",
  () => {
    let proc: Spawned;
    let drop: () => Promise<void>;
    let base = "";
    const adminPassword = `Redaction-Admin-${process.pid}-Pw`;

    beforeAll(async () => {
      const t = await createTestDatabase("cw_redaction");
      drop = t.drop;
      const [port, mqttPort, closedPort] = await Promise.all([freePort(), freePort(), freePort()]);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cw-redaction-"));
      // The vtest camera's rules, on an RTSP address where nothing listens: ffmpeg fails and quotes the URL.
      const config = YAML.parse(fs.readFileSync(path.join(repoRoot, "streams/vtest.edge.yaml"), "utf8"));
      const [s1, s2, s3, s4, s5] = SECRETS;
      config.cameras = [
        {
          ...config.cameras[0],
          id: "cam-secret-url",
          name: "secret url",
          url: `rtsp://camuser:${s1}@127.0.0.1:${closedPort}/live?user=admin&password=${s2}&token=${s3}&signature=${s4}&key=${s5}&auth=${SECRETS[5]}`,
          watchdog: { stallSeconds: 20, backoffInitialSeconds: 1, backoffMaxSeconds: 2 },
        },
      ];
      const configFile = path.join(dir, "edge.yaml");
      fs.writeFileSync(configFile, YAML.stringify(config));
      proc = spawnCurbwatch(["start"], {
        cwd: dir,
        env: {
          DATABASE_URL: t.url,
          PORT: String(port),
          HOST: "127.0.0.1",
          MQTT_EMBEDDED_PORT: String(mqttPort),
          CURBWATCH_DATA_DIR: path.join(dir, "data"),
          EDGE_CONFIG_FILE: configFile,
          MODELS_DIR: path.join(repoRoot, "models"),
          DEMO_ENABLED: "false",
          LOG_LEVEL: "debug",
          CURBWATCH_INITIAL_ADMIN_PASSWORD: adminPassword,
          CURBWATCH_INITIAL_ADMIN_PASSWORD_PERMANENT: "true",
        },
      });
      base = `http://127.0.0.1:${port}`;
      await waitForHttp(`${base}/api/health`, (s) => s === 200, 90_000);
    }, 120_000);
    afterAll(async () => {
      await proc?.stop();
      await drop?.();
    });

    it("logs the failing stream and reports it in health with every secret masked", async () => {
      // Two failures: the start line, ffmpeg's own error and the restart line have all been written.
      await proc.waitFor(/camera stream stopped; restarting/, 60_000);
      const login = await fetch(`${base}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "admin", password: adminPassword }),
      });
      expect(login.status).toBe(200);
      const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0];
      let health = "";
      await expect
        .poll(
          async () => {
            health = await (await fetch(`${base}/api/health`, { headers: { cookie } })).text();
            return /"cameraId":"cam-secret-url"[^}]*"lastError":"[^"]/.test(health);
          },
          { timeout: 30_000 },
        )
        .toBe(true);
      const output = proc.output();
      expect(output, "the edge's lines are in the same output").toMatch(/"service":"edge"/);
      expect(output).toMatch(/cam-secret-url/);
      expect(output).toMatch(/password=\*\*\*/);
      for (const secret of SECRETS) {
        expect(output, `${secret} in a log line`).not.toContain(secret);
        expect(health, `${secret} in the health report`).not.toContain(secret);
      }
      const anonymous = await (await fetch(`${base}/api/health`)).text();
      expect(JSON.parse(anonymous)).toEqual({ status: "up" });
    }, 120_000);
  },
);
