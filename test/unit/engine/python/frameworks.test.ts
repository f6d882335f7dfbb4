import * as assert from 'node:assert/strict';
import type { PyCall, PyExpr, PyModule } from '../../../../server/src/engine/python/ast';
import {
  callName,
  decoratorName,
  dottedName,
  findAll,
  keywordArg,
  nodeText,
  positionalArg,
  stringValue,
} from '../../../../server/src/engine/python/walk';
import { functionNamed, parseValid, readFixture, show } from './pythonTestSupport';

/** `[function, [decorator names], first decorator's first string argument]` for every def. */
function decoratedFunctions(module: PyModule): [string, string[], string | undefined][] {
  return findAll(module, 'FunctionDef')
    .filter((fn) => fn.decorators.length > 0)
    .map((fn) => {
      const first = fn.decorators[0];
      const path = first.type === 'Call' ? stringValue(positionalArg(first, 0)) : undefined;
      return [fn.name, fn.decorators.map((decorator) => decoratorName(decorator) ?? '?'), path];
    });
}

function callsNamed(module: PyModule, name: string): PyCall[] {
  return findAll(module, 'Call').filter((call) => callName(call) === name);
}

/** String values of a list or tuple literal (`methods=["POST", "DELETE"]`). */
function strings(expr: PyExpr | undefined): (string | undefined)[] | undefined {
  if (!expr || (expr.type !== 'List' && expr.type !== 'Tuple')) return undefined;
  return expr.elts.map(stringValue);
}

describe('python parser on framework code', () => {
  describe('Flask', () => {
    const text = readFixture('flask_app/app.py');
    const module = parseValid(text);

    it('finds every route decorator with its path, in order, and the decorators stacked under it', () => {
      assert.deepEqual(decoratedFunctions(module), [
        ['wrapped', ['wraps'], undefined],
        ['load_user', ['app.before_request'], undefined],
        ['index', ['app.route'], '/'],
        ['health', ['app.route'], '/health'],
        ['search', ['app.route'], '/search'],
        ['update_item', ['app.route', 'login_required'], '/items/<int:item_id>'],
        ['ping', ['app.post'], '/ping'],
        ['render', ['app.route'], '/render'],
        ['login', ['app.route'], '/login'],
        ['fetch', ['app.route', 'admin_required'], '/fetch'],
        ['not_found', ['app.errorhandler'], undefined],
      ]);
    });

    it('reads methods= as a list or a tuple of strings', () => {
      const methodsOf = (name: string): (string | undefined)[] | undefined => {
        const decorator = functionNamed(module, name).decorators[0];
        return decorator.type === 'Call' ? strings(keywordArg(decorator, 'methods')) : undefined;
      };
      assert.deepEqual(methodsOf('health'), ['GET']);
      assert.deepEqual(methodsOf('update_item'), ['POST', 'DELETE']);
      assert.deepEqual(methodsOf('render'), ['POST']);
      assert.equal(methodsOf('index'), undefined);
    });

    it('reads blueprint registration with url_prefix', () => {
      assert.deepEqual(
        callsNamed(module, 'app.register_blueprint').map((call) => [dottedName(call.args[0]), stringValue(keywordArg(call, 'url_prefix'))]),
        [['api_bp', '/api'], ['admin', '/admin']],
      );
      const imports = findAll(module, 'ImportFrom').filter((node) => node.level > 0);
      assert.deepEqual(imports.map((node) => [node.level, node.module, node.names.map((alias) => `${alias.name}${alias.asname ? ` as ${alias.asname}` : ''}`)]), [
        [1, 'admin', ['admin_bp as admin']],
        [1, 'api', ['api_bp']],
      ]);
    });

    it('sees the custom auth decorator and the inner wrapper it returns', () => {
      const guard = functionNamed(module, 'admin_required');
      assert.deepEqual(guard.params.map((param) => param.name), ['view']);
      const wrapped = functionNamed(guard, 'wrapped');
      assert.deepEqual(wrapped.params.map((param) => `${param.kind}:${param.name}`), ['vararg:args', 'kwarg:kwargs']);
      assert.equal(nodeText(text, wrapped.body[0]), 'if not current_user.is_admin:\n            abort(403)');
    });

    it('reads debug=True in app.run under the __main__ guard', () => {
      const [run] = callsNamed(module, 'app.run');
      assert.equal(show(keywordArg(run, 'debug')), 'True');
      assert.equal(stringValue(keywordArg(run, 'host')), '0.0.0.0');
      const guard = run.parent?.parent;
      assert.equal(guard?.type === 'If' && show(guard.test), '(cmp __name__ == "__main__")');
    });

    it('reads the blueprint module: constructor, stacked before_request, mass assignment', () => {
      const api = parseValid(readFixture('flask_app/api.py'));
      const [blueprint] = callsNamed(api, 'Blueprint');
      assert.deepEqual([stringValue(blueprint.args[0]), stringValue(keywordArg(blueprint, 'url_prefix'))], ['api', '/v1']);
      assert.deepEqual(functionNamed(api, 'require_login').decorators.map(decoratorName), ['api_bp.before_request', 'login_required']);
      const [user] = callsNamed(api, 'User');
      assert.deepEqual(user.keywords.map((keyword) => [keyword.arg, dottedName(keyword.value)]), [[undefined, 'request.json']]);
      assert.equal(show(functionNamed(api, 'get_user').params[0].annotation), 'str');
    });
  });

  describe('FastAPI', () => {
    const module = parseValid(readFixture('fastapi_app/main.py'));

    it('reads app-level dependencies and included routers with prefix and dependencies', () => {
      const [app] = callsNamed(module, 'FastAPI');
      assert.equal(show(keywordArg(app, 'dependencies')), '[(call Depends verify_token)]');
      assert.deepEqual(
        callsNamed(module, 'app.include_router').map((call) => [dottedName(call.args[0]), stringValue(keywordArg(call, 'prefix')), show(keywordArg(call, 'dependencies'))]),
        [
          ['items.router', '/v1/items', '_'],
          ['users.router', '/v1/users', '[(call Depends get_current_user)]'],
        ],
      );
    });

    it('reads route decorators, async handlers and the dependencies in their parameters', () => {
      assert.deepEqual(decoratedFunctions(module).map(([name, decorators, path]) => [name, decorators[0], path]), [
        ['health', 'app.get', '/health'],
        ['create_item', 'app.post', '/items'],
        ['read_item', 'app.get', '/items/{item_id}'],
        ['delete_item', 'app.delete', '/items/{item_id}'],
        ['legacy', 'app.api_route', '/legacy'],
      ]);
      const create = functionNamed(module, 'create_item');
      assert.equal(create.isAsync, true);
      assert.deepEqual(create.params.map((param) => [param.name, show(param.annotation), show(param.default)]), [
        ['item', 'Item', '_'],
        ['user', '_', '(call Depends get_current_user)'],
      ]);
      const decorator = create.decorators[0];
      assert.ok(decorator.type === 'Call');
      assert.equal(dottedName(keywordArg(decorator, 'status_code')), 'status.HTTP_201_CREATED');
      const read = functionNamed(module, 'read_item');
      assert.equal(show(read.params[1].annotation), '(sub Annotated (tuple (| str None) (call Query max_length=50)))');
      assert.equal(show(read.params[1].default), 'None');
      assert.equal(show(functionNamed(module, 'delete_item').params[1].default), '(call Depends oauth2_scheme)');
      assert.equal(show(functionNamed(module, 'health').returns), '(sub dict (tuple str str))');
    });

    it('reads pydantic models: bases and annotated fields', () => {
      const [model] = findAll(module, 'ClassDef');
      assert.deepEqual([model.name, model.bases.map(show)], ['Item', ['BaseModel']]);
      assert.deepEqual(
        model.body.map((statement) => (statement.type === 'Assign' ? [show(statement.targets[0]), show(statement.annotation), show(statement.value)] : statement.type)),
        [
          ['name', 'str', '_'],
          ['price', 'float', '0.0'],
          ['tags', '(sub list str)', '[]'],
          ['description', '(sub Optional str)', 'None'],
        ],
      );
    });

    it('reads awaited request bodies', () => {
      const legacy = functionNamed(module, 'legacy');
      const assign = legacy.body[0];
      assert.ok(assign.type === 'Assign');
      assert.equal(show(assign.value), '(await (call request.json))');
    });

    it('reads router-level and route-level dependencies, keyword-only parameters and async with', () => {
      const items = parseValid(readFixture('fastapi_app/routers/items.py'));
      const [router] = callsNamed(items, 'APIRouter');
      assert.deepEqual([stringValue(keywordArg(router, 'prefix')), show(keywordArg(router, 'dependencies'))], ['/items', '[(call Depends get_current_active_user)]']);
      const exportItem = functionNamed(items, 'export_item');
      const decorator = exportItem.decorators[0];
      assert.ok(decorator.type === 'Call');
      assert.equal(show(keywordArg(decorator, 'dependencies')), '[(call Security require_scopes scopes=["items:write"])]');
      assert.deepEqual(exportItem.params.map((param) => `${param.name}:${param.kind}`), ['item_id:positional', 'fmt:positional', 'db:keywordOnly']);
      const update = functionNamed(items, 'update_item');
      const withStatement = update.body[0];
      assert.ok(withStatement.type === 'With');
      assert.equal(withStatement.isAsync, true);
      assert.equal(show(withStatement.items[0].optionalVars), 'session');
      const [search] = callsNamed(items, 'db.execute').filter((call) => callName(call) === 'db.execute' && call.args[0].type === 'Call' && show(call.args[0]).includes('(f '));
      assert.equal(show(search.args[0]), '(call text (f name))');
    });
  });

  describe('Django', () => {
    it('reads urlpatterns: path and re_path calls, include(), views and names', () => {
      const urls = parseValid(readFixture('django_app/urls.py'));
      const assignments = findAll(urls, 'Assign').filter((assign) => show(assign.targets[0]) === 'urlpatterns');
      assert.deepEqual(assignments.map((assign) => assign.kind), ['plain', 'augmented']);
      const list = assignments[0].value;
      assert.ok(list && list.type === 'List');
      assert.deepEqual(
        list.elts.map((elt) => {
          assert.ok(elt.type === 'Call');
          return [callName(elt), stringValue(elt.args[0]), show(elt.args[1]), stringValue(keywordArg(elt, 'name'))];
        }),
        [
          ['path', 'admin/', 'admin.site.urls', undefined],
          ['path', 'api/', '(call include "shop.urls")', undefined],
          ['path', 'api/v2/', '(call include router.urls)', undefined],
          ['path', 'x/<int:id>/', 'views.detail', 'detail'],
          ['re_path', '^legacy/(?P<slug>[-\\w]+)/$', 'views.legacy_view', undefined],
          ['path', 'dashboard/', '(call views.DashboardView.as_view)', 'dashboard'],
        ],
      );
      assert.deepEqual(
        callsNamed(urls, 'router.register').map((call) => [stringValue(call.args[0]), dottedName(call.args[1])]),
        [['products', 'ProductViewSet'], ['orders', 'OrderViewSet']],
      );
    });

    describe('views', () => {
      const views = parseValid(readFixture('django_app/views.py'));
      const classes = findAll(views, 'ClassDef');

      it('reads class-based views: mixins, DRF viewsets and their bases', () => {
        assert.deepEqual(classes.map((cls) => [cls.name, cls.bases.map((base) => dottedName(base))]), [
          ['DashboardView', ['LoginRequiredMixin', 'PermissionRequiredMixin', 'TemplateView']],
          ['ReportView', ['View']],
          ['ProductViewSet', ['viewsets.ModelViewSet']],
          ['OrderViewSet', ['mixins.ListModelMixin', 'mixins.CreateModelMixin', 'viewsets.GenericViewSet']],
        ]);
      });

      it('reads class attributes such as permission_classes', () => {
        const attribute = (className: string, name: string): string => {
          const cls = classes.find((candidate) => candidate.name === className)!;
          for (const statement of cls.body) if (statement.type === 'Assign' && show(statement.targets[0]) === name) return show(statement.value);
          return 'missing';
        };
        assert.equal(attribute('ProductViewSet', 'permission_classes'), '[IsAuthenticated]');
        assert.equal(attribute('OrderViewSet', 'permission_classes'), '(tuple AllowAny)');
        assert.equal(attribute('DashboardView', 'permission_required'), '"shop.view_dashboard"');
      });

      it('reads function views with decorators, and DRF actions with their keywords', () => {
        assert.deepEqual(decoratedFunctions(views).map(([name, decorators]) => [name, decorators]), [
          ['detail', ['login_required']],
          ['legacy_view', ['csrf_exempt', 'require_http_methods']],
          ['publish', ['action']],
          ['public_stats', ['api_view', 'permission_classes']],
        ]);
        const action = functionNamed(views, 'publish').decorators[0];
        assert.ok(action.type === 'Call');
        assert.deepEqual(action.keywords.map((keyword) => `${keyword.arg}=${show(keyword.value)}`), [
          'detail=True',
          'methods=["post"]',
          'permission_classes=[permissions.IsAdminUser]',
        ]);
      });

      it('reads form validation, super() calls and interpolated ORM queries', () => {
        const comment = functionNamed(views, 'comment');
        const check = comment.body[1];
        assert.ok(check.type === 'If');
        assert.equal(show(check.test), '(call form.is_valid)');
        const [context] = findAll(views, 'Call').filter((call) => callName(call) === 'super().get_context_data');
        assert.equal(show(context.keywords[0].value), 'kwargs');
        const [raw] = callsNamed(views, 'Order.objects.raw');
        const query = raw.args[0];
        assert.ok(query.type === 'Str');
        assert.deepEqual(query.interpolations.map((field) => dottedName(field.expression)), ['self.request.user.id']);
      });
    });
  });
});
