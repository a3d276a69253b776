/**
 * goTemplate fixture table: template, params (as the generators hand them over, JSON), options,
 * and Argo CD's output or error. Rows with `source` are transcribed from that Argo CD test; the
 * others pin Go text/template and sprig behaviour that ApplicationSets rely on.
 */
import { goStrings } from '../../src/argocd/gotemplate/index.js';

export interface GoTemplateFixture {
  name: string;
  template: string;
  params: Record<string, unknown>;
  options?: string[];
  ok?: string;
  error?: string;
  source?: string;
}

const UTILS_TEST = 'https://github.com/argoproj/argo-cd/blob/37ee0097cf851bc2dd7665fc081bbce61a7e836e/applicationset/utils/utils_test.go';
const render = `${UTILS_TEST} TestRenderTemplateParamsGoTemplate`;
const slugify = `${UTILS_TEST} TestSlugify`;
const longBranch = 'feat/a_really+long_pull_request_name_to_test_argo_slugification_and_branch_name_shortening_feature';
const oneWordBranch = 'feat/areallylongpullrequestnametotestargoslugificationandbranchnameshorteningfeature';
const hpa = (enabled: boolean) => ({ replicas: 3, hpa: { enabled, minReplicas: 1, maxReplicas: 5 } });
const image = { replicas: 3, image: { name: 'busybox', version: 'latest' } };
const pullRequest =
  'https://github.com/argoproj/argo-cd/blob/37ee0097cf851bc2dd7665fc081bbce61a7e836e/applicationset/controllers/template/template_test.go TestGenerateAppsUsingPullRequestGenerator';
const pr = {
  number: '1',
  branch: 'branch1',
  branch_slug: 'branchSlug1',
  head_sha: '089d92cbf9ff857a39e6feccd32798ca700fb958',
  head_short_sha: '089d92cb',
  branch_slugify_default: longBranch,
  branch_slugify_smarttruncate_disabled: oneWordBranch,
  branch_slugify_smarttruncate_enabled: 'feat/testwithsmarttruncateenabledramdomlonglistofcharacters',
  labels: goStrings(['label1']),
};
const CLUSTER_GO = 'https://github.com/argoproj/argo-cd/blob/37ee0097cf851bc2dd7665fc081bbce61a7e836e/applicationset/generators/cluster.go';
const cluster = { name: 'prod-1', server: 'https://prod-1.example.com', metadata: { labels: goStrings({ env: 'prod', 'calisti.io/role': 'active' }) } };
const values = {
  name: 'Guest Book',
  n: 1000000,
  small: 0.000001,
  three: 3,
  half: 1.5,
  yes: true,
  nothing: null,
  list: ['a', 'b'],
  empty: [],
  map: { k: 'v', a: 1 },
  nested: { a: { b: 'deep' } },
};

export const GO_TEMPLATE_FIXTURES: GoTemplateFixture[] = [
  // Argo CD's own rows (TestRenderTemplateParamsGoTemplate; "Test No Data" is the engine's rule that
  // empty params skip rendering, and "toYaml Error" needs a Go func as a parameter: both left out).
  { source: render, name: 'simple substitution', template: '{{ .one }}', params: { one: 'two' }, ok: 'two' },
  { source: render, name: 'template contains itself, containing itself', template: '{{ .one }}', params: { one: '{{one}}' }, ok: '{{one}}' },
  { source: render, name: 'template contains itself, containing something else', template: '{{ .one }}', params: { one: '{{two}}' }, ok: '{{two}}' },
  { source: render, name: 'multiple on a line', template: '{{.one}}{{.one}}', params: { one: 'two' }, ok: 'twotwo' },
  { source: render, name: 'multiple different on a line', template: '{{.one}}{{.three}}', params: { one: 'two', three: 'four' }, ok: 'twofour' },
  {
    source: render,
    name: 'multiple different on a line with quote',
    template: '{{.one}} {{.three}}',
    params: { one: '"hello" world', three: 'four' },
    ok: '"hello" world four',
  },
  { source: render, name: 'depth', template: '{{ .image.version }}', params: image, ok: 'latest' },
  { source: render, name: 'multiple depth', template: '{{ .image.name }}:{{ .image.version }}', params: image, ok: 'busybox:latest' },
  { source: render, name: 'if ok', template: '{{ if .hpa.enabled }}{{ .hpa.maxReplicas }}{{ else }}{{ .replicas }}{{ end }}', params: hpa(true), ok: '5' },
  { source: render, name: 'if not ok', template: '{{ if .hpa.enabled }}{{ .hpa.maxReplicas }}{{ else }}{{ .replicas }}{{ end }}', params: hpa(false), ok: '3' },
  {
    source: render,
    name: 'loop',
    template: '{{ range .volumes }}[{{ .name }}]{{ end }}',
    params: {
      replicas: 3,
      volumes: [
        { name: 'volume-one', emptyDir: {} },
        { name: 'volume-two', emptyDir: {} },
      ],
    },
    ok: '[volume-one][volume-two]',
  },
  {
    source: render,
    name: 'Index',
    template: '{{ index .admin "admin-ca" }}, {{ index .admin "admin-jks" }}',
    params: { admin: { 'admin-ca': 'value admin ca', 'admin-jks': 'value admin jks' } },
    ok: 'value admin ca, value admin jks',
  },
  {
    source: render,
    name: 'Index (backslashes and quotes)',
    template: '{{ index .admin "admin-ca" }}, \\\\ "Hello world", {{ index .admin "admin-jks" }}',
    params: { admin: { 'admin-ca': 'value "admin" ca with \\', 'admin-jks': 'value admin jks' } },
    ok: 'value "admin" ca with \\, \\\\ "Hello world", value admin jks',
  },
  { source: render, name: 'quote', template: '{{.quote}}', params: { quote: '"' }, ok: '"' },
  {
    source: render,
    name: 'Test Parse Error',
    template: '{{functiondoesnotexist}}',
    params: { data: 'a data string' },
    error: 'failed to parse template {{functiondoesnotexist}}: template: base:1: function "functiondoesnotexist" not defined',
  },
  {
    source: render,
    name: 'Test template error',
    template: '{{.data.test}}',
    params: { data: 'a data string' },
    error:
      'failed to execute go template {{.data.test}}: template: base:1:7: executing "base" at <.data.test>: can\'t evaluate field test in type interface {}',
  },
  {
    source: render,
    name: 'lookup missing value with missingkey=default',
    template: '--> {{.doesnotexist}} <--',
    params: { unused: 'this is not used' },
    ok: '--> <no value> <--',
  },
  {
    source: render,
    name: 'lookup missing value with missingkey=error',
    template: '--> {{.doesnotexist}} <--',
    params: { unused: 'this is not used' },
    options: ['missingkey=error'],
    error:
      'failed to execute go template --> {{.doesnotexist}} <--: template: base:1:6: executing "base" at <.doesnotexist>: map has no entry for key "doesnotexist"',
  },
  {
    source: render,
    name: 'toYaml',
    template: '{{ toYaml . | indent 2 }}',
    params: { foo: { bar: { bool: true, number: 2, str: 'Hello world' } } },
    ok: '  foo:\n    bar:\n      bool: true\n      number: 2\n      str: Hello world',
  },
  { source: render, name: 'fromYaml', template: '{{ get (fromYaml .value) "hello" }}', params: { value: 'hello: world' }, ok: 'world' },
  {
    source: render,
    name: 'fromYaml error',
    template: '{{ get (fromYaml .value) "hello" }}',
    params: { value: 'non\n compliant\n yaml' },
    error:
      'failed to execute go template {{ get (fromYaml .value) "hello" }}: template: base:1:8: executing "base" at <fromYaml .value>: error calling fromYaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go value of type map[string]interface {}',
  },
  {
    source: render,
    name: 'fromYamlArray',
    template: '{{ fromYamlArray .value | last }}',
    params: { value: '- hello world\n- bonjour tout le monde' },
    ok: 'bonjour tout le monde',
  },
  {
    source: render,
    name: 'fromYamlArray error',
    template: '{{ fromYamlArray .value | last }}',
    params: { value: 'non\n compliant\n yaml' },
    error:
      'failed to execute go template {{ fromYamlArray .value | last }}: template: base:1:3: executing "base" at <fromYamlArray .value>: error calling fromYamlArray: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go value of type []interface {}',
  },
  {
    source: `${UTILS_TEST} TestRenderTemplateKeys`,
    name: 'templated map key',
    template: 'annotation-{{ .key }}',
    params: { key: 'some-key', value: 'some-value' },
    ok: 'annotation-some-key',
  },
  {
    source: slugify,
    name: 'slugify, no smart truncate, 50',
    template: '{{ slugify 50 false .branch }}',
    params: { branch: longBranch },
    ok: 'feat-a-really-long-pull-request-name-to-test-argo',
  },
  {
    source: slugify,
    name: 'slugify, smart truncate, 53',
    template: '{{ slugify 53 true .branch }}',
    params: { branch: longBranch },
    ok: 'feat-a-really-long-pull-request-name-to-test-argo',
  },
  { source: slugify, name: 'slugify, smart truncate, one long word', template: '{{ slugify 50 true .branch }}', params: { branch: oneWordBranch }, ok: 'feat' },
  {
    source: slugify,
    name: 'slugify, no smart truncate, one long word',
    template: '{{ slugify 50 false .branch }}',
    params: { branch: oneWordBranch },
    ok: 'feat-areallylongpullrequestnametotestargoslugifica',
  },
  { source: pullRequest, name: 'pull request: name', template: 'AppSet-{{.branch}}-{{.number}}', params: pr, ok: 'AppSet-branch1-1' },
  { source: pullRequest, name: 'pull request: index into a []string', template: '{{index .labels 0}}', params: pr, ok: 'label1' },
  {
    source: pullRequest,
    name: 'pull request: slugify piped',
    template: 'AppSet-{{.branch_slugify_default | slugify }}',
    params: pr,
    ok: 'AppSet-feat-a-really-long-pull-request-name-to-test-argo',
  },
  {
    source: pullRequest,
    name: 'pull request: slugify 49 false piped',
    template: 'AppSet-{{.branch_slugify_smarttruncate_disabled | slugify 49 false }}',
    params: pr,
    ok: 'AppSet-feat-areallylongpullrequestnametotestargoslugific',
  },
  {
    source: pullRequest,
    name: 'pull request: slugify 50 true piped',
    template: 'AppSet-{{.branch_slugify_smarttruncate_enabled | slugify 50 true }}',
    params: pr,
    ok: 'AppSet-feat',
  },
  {
    source: pullRequest,
    name: 'pull request: two params',
    template: 'AppSet-{{.branch_slug}}-{{.head_sha}}',
    params: pr,
    ok: 'AppSet-branchSlug1-089d92cbf9ff857a39e6feccd32798ca700fb958',
  },

  // Go's printing of the values generators produce (JSON numbers are float64 in Argo).
  { name: 'float64 million prints in e-notation', template: '{{ .n }}', params: values, ok: '1e+06' },
  { name: 'small float prints in e-notation', template: '{{ .small }}', params: values, ok: '1e-06' },
  { name: 'whole and fractional numbers', template: '{{ .three }} {{ .half }} {{ .yes }}', params: values, ok: '3 1.5 true' },
  { name: 'int converts a float64 back', template: '{{ int .n }} {{ int64 .n }}', params: values, ok: '1000000 1000000' },
  { name: 'map prints with sorted keys', template: '{{ .map }}', params: values, ok: 'map[a:1 k:v]' },
  { name: 'list prints with spaces', template: '{{ .list }} {{ .empty }}', params: values, ok: '[a b] []' },
  { name: 'missing key prints <no value>', template: '{{ .missing }}', params: values, ok: '<no value>' },
  { name: 'missing nested key prints <no value>', template: '{{ .missing.deeper }}', params: values, ok: '<no value>' },
  { name: 'null value prints <no value>', template: '{{ .nothing }}', params: values, ok: '<no value>' },
  { name: 'printf %v and %d of a float64', template: '{{ printf "%v|%d|%s" .n .n .name }}', params: values, ok: '1e+06|%!d(float64=1e+06)|Guest Book' },
  { name: 'printf with an int literal', template: '{{ printf "%s-%03d" .name 7 }}', params: values, ok: 'Guest Book-007' },
  {
    name: 'eq float64 with an int literal fails',
    template: '{{ if eq .three 3 }}yes{{ end }}',
    params: values,
    error:
      'failed to execute go template {{ if eq .three 3 }}yes{{ end }}: template: base:1:6: executing "base" at <eq .three 3>: error calling eq: incompatible types for comparison',
  },
  { name: 'eq float64 with a float literal', template: '{{ if eq .three 3.0 }}yes{{ end }}', params: values, ok: 'yes' },

  // Trimming, control structures, variables.
  { name: 'trim markers remove surrounding whitespace', template: 'a  {{- .name -}}  \n b', params: values, ok: 'aGuest Bookb' },
  { name: 'trimmed comment', template: 'x {{- /* why */ -}} y', params: values, ok: 'xy' },
  { name: 'newline kept without trim markers', template: '{{ .three }}\n{{ .half }}', params: values, ok: '3\n1.5' },
  { name: 'range with index', template: '{{ range $i, $v := .list }}{{ $i }}={{ $v }};{{ end }}', params: values, ok: '0=a;1=b;' },
  { name: 'range over a map is key-sorted', template: '{{ range $k, $v := .map }}{{ $k }}:{{ $v }},{{ end }}', params: values, ok: 'a:1,k:v,' },
  { name: 'range else on empty list', template: '{{ range .empty }}x{{ else }}none{{ end }}', params: values, ok: 'none' },
  { name: 'with on a present map', template: '{{ with .nested.a }}{{ .b }}{{ end }}', params: values, ok: 'deep' },
  { name: 'with else on a missing key', template: '{{ with .missing }}x{{ else }}fallback{{ end }}', params: values, ok: 'fallback' },
  { name: 'and/or/not', template: '{{ if and .yes (not .missing) (or .empty .list) }}ok{{ end }}', params: values, ok: 'ok' },
  { name: 'variables and $', template: '{{ $n := .name }}{{ with .nested }}{{ $n }}/{{ $.three }}{{ end }}', params: values, ok: 'Guest Book/3' },
  { name: 'define and template', template: '{{ define "x" }}[{{ . }}]{{ end }}{{ template "x" .name }}', params: values, ok: '[Guest Book]' },

  // sprig.
  {
    name: 'sprig string functions',
    template: '{{ .name | lower | replace " " "-" }} {{ upper "a" }} {{ trim "  t  " }} {{ trunc 3 "abcdef" }} {{ quote .name }}',
    params: values,
    ok: 'guest-book A t abc "Guest Book"',
  },
  {
    name: 'sprig kebabcase, camelcase, title',
    template: '{{ kebabcase "FooBar" }} {{ camelcase "foo_bar" }} {{ title "hello world" }}',
    params: values,
    ok: 'foo-bar FooBar Hello World',
  },
  {
    name: 'sprig list functions',
    template: '{{ .list | first }} {{ .list | last }} {{ has "b" .list }} {{ len .list }} {{ join "+" .list }} {{ list 1 2 3 | toJson }}',
    params: values,
    ok: 'a b true 2 a+b [1,2,3]',
  },
  { name: 'sprig splitList and join', template: '{{ splitList "," "x,y,z" | join "/" }}', params: values, ok: 'x/y/z' },
  {
    name: 'sprig dict functions',
    template:
      '{{ hasKey .map "k" }} {{ get .map "k" }} {{ dig "a" "b" "none" .nested }} {{ dig "a" "c" "none" .nested }} {{ keys .map | sortAlpha | join "," }}',
    params: values,
    ok: 'true v deep none a,k',
  },
  {
    name: 'sprig dict and toJson',
    template: '{{ dict "b" 1 "a" .name | toJson }} {{ toJson .map }}',
    params: values,
    ok: '{"a":"Guest Book","b":1} {"a":1,"k":"v"}',
  },
  {
    name: 'sprig default',
    template: '{{ .missing | default "d1" }} {{ default "d2" "" }} {{ default "d3" .name }} {{ default "d4" .empty }}',
    params: values,
    ok: 'd1 d2 Guest Book d4',
  },
  {
    name: 'sprig ternary, empty, coalesce',
    template: '{{ ternary "y" "n" .yes }} {{ empty .empty }} {{ coalesce .missing "" "c" }}',
    params: values,
    ok: 'y true c',
  },
  {
    name: 'sprig encoding and hashes',
    template: '{{ b64enc "hi" }} {{ sha256sum "a" | trunc 8 }} {{ sha512sum "" | trunc 8 }}',
    params: values,
    ok: 'aGk= ca978112 cf83e135',
  },
  { name: 'sprig regex', template: '{{ regexReplaceAll "[^a-z]+" "Ab1cD" "-" }} {{ regexMatch "^G" .name }}', params: values, ok: '-b-c- true' },
  { name: 'sprig semverCompare', template: '{{ semverCompare ">=1.2.0" "1.10.3" }}', params: values, ok: 'true' },
  { name: 'sprig toYaml of a list', template: '{{ toYaml .list }}', params: values, ok: '- a\n- b' },
  {
    name: 'env is removed',
    template: '{{ env "HOME" }}',
    params: values,
    error: 'failed to parse template {{ env "HOME" }}: template: base:1: function "env" not defined',
  },
  {
    name: 'expandenv is removed',
    template: '{{ expandenv "$HOME" }}',
    params: values,
    error: 'failed to parse template {{ expandenv "$HOME" }}: template: base:1: function "expandenv" not defined',
  },

  // Argo's normalize and slugify.
  { name: 'normalize', template: '{{ normalize "Hello_World.Example--" }} {{ normalize .name }}', params: values, ok: 'hello-world.example guest-book' },
  { name: 'slugify defaults (50, smart truncate)', template: '{{ slugify "Feature/ABC.123_x" }}', params: values, ok: 'feature-abc-123-x' },
  { name: 'slugify with a size only', template: '{{ slugify 10 "one two three four" }}', params: values, ok: 'one-two' },
  {
    name: 'slugify refuses a float64 size',
    template: '{{ slugify .three .name }}',
    params: values,
    error:
      'failed to execute go template {{ slugify .three .name }}: template: base:1:3: executing "base" at <slugify .three .name>: error calling slugify: interface conversion: interface {} is float64, not int',
  },

  // Cluster labels are a map[string]string in Argo (getClusterParameters): index works, sprig's
  // dict functions (which want map[string]any) fail.
  {
    source: `${CLUSTER_GO} getClusterParameters`,
    name: 'cluster label by index',
    template: '{{ index .metadata.labels "calisti.io/role" }} {{ .metadata.labels.env }} {{ .metadata.labels }}',
    params: cluster,
    ok: 'active prod map[calisti.io/role:active env:prod]',
  },
  {
    source: `${CLUSTER_GO} getClusterParameters`,
    name: 'hasKey on cluster labels fails',
    template: '{{ hasKey .metadata.labels "env" }}',
    params: cluster,
    error:
      'failed to execute go template {{ hasKey .metadata.labels "env" }}: template: base:1:19: executing "base" at <.metadata.labels>: wrong type for value; expected map[string]interface {}; got map[string]string',
  },
  {
    source: `${CLUSTER_GO} getClusterParameters`,
    name: 'dig into cluster labels fails',
    template: '{{ dig "labels" "env" "none" .metadata }}',
    params: cluster,
    error:
      'failed to execute go template {{ dig "labels" "env" "none" .metadata }}: template: base:1:3: executing "base" at <dig "labels" "env" "none" .metadata>: error calling dig: interface conversion: interface {} is map[string]string, not map[string]interface {}',
  },
  {
    name: 'a []string list',
    template: '{{ .segments | first }} {{ join "/" .segments }} {{ .segments }}',
    params: { segments: goStrings(['apps', 'guestbook']) },
    ok: 'apps apps/guestbook [apps guestbook]',
  },

  // goTemplateOptions.
  { name: 'missingkey=zero prints <no value> for map[string]any', template: '{{ .missing }}', params: values, options: ['missingkey=zero'], ok: '<no value>' },
  { name: 'missingkey=default', template: '{{ .missing }}', params: values, options: ['missingkey=default'], ok: '<no value>' },
  {
    name: 'missingkey=error on a nested key',
    template: '{{ .nested.x }}',
    params: values,
    options: ['missingkey=error'],
    error: 'failed to execute go template {{ .nested.x }}: template: base:1:10: executing "base" at <.nested.x>: map has no entry for key "x"',
  },
  { name: 'missingkey=error spares present keys', template: '{{ .name }}', params: values, options: ['missingkey=error'], ok: 'Guest Book' },

  // Parse and execution errors.
  { name: 'unclosed action', template: '{{ .name ', params: values, error: 'failed to parse template {{ .name : template: base:1: unclosed action' },
  { name: 'unexpected end', template: 'x{{ end }}', params: values, error: 'failed to parse template x{{ end }}: template: base:1: unexpected {{end}}' },
  {
    name: 'unknown template',
    template: '{{ template "nope" }}',
    params: values,
    error: 'failed to execute go template {{ template "nope" }}: template: base:1:12: executing "base" at <{{template "nope"}}>: template "nope" not defined',
  },
  {
    name: 'fail function',
    template: '{{ fail "stop here" }}',
    params: values,
    error: 'failed to execute go template {{ fail "stop here" }}: template: base:1:3: executing "base" at <fail "stop here">: error calling fail: stop here',
  },
];
