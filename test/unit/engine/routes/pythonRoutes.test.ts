import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyseFiles, analyseWorkspace, authFindings, routeFixtures, routeTable, type AnalysedWorkspace } from './routeFixtures';
import { applyFix } from './applyFix';
import { defaultConfig } from '../../../../server/src/engine/config/shipshapeConfig';
import { PythonModuleResolver, pythonModuleSpecifier } from '../../../../server/src/engine/routes/python/pythonModules';
import type { Finding } from '../../../../server/src/engine/types';
import { builtinAnalyzer } from '../../helpers';

function routeOf(workspace: AnalysedWorkspace, method: string, routePath: string) {
  const found = workspace.inventory.routes.find((route) => route.method === method && route.path === routePath);
  assert.ok(found, `no route ${method} ${routePath} in\n${routeTable(workspace.inventory).join('\n')}`);
  return found;
}

function findingAt(workspace: AnalysedWorkspace, file: string, ruleId: string, line: number): Finding {
  const found = workspace.findings.get(file)?.find((finding) => finding.ruleId === ruleId && finding.range.start.line + 1 === line);
  assert.ok(found, `no ${ruleId} at ${file}:${line}; findings: ${authFindings(workspace).join(', ')}`);
  return found;
}

/** Re-analyses one edited file into the workspace's index and returns its unsuppressed finding ids. */
function reanalyse(workspace: AnalysedWorkspace, file: string, text: string): string[] {
  const analyzer = builtinAnalyzer();
  workspace.index.update(file, analyzer.analyzeFile({ path: file, text }).routeFacts);
  return analyzer.analyzeFile({ path: file, text, workspaceFindings: () => workspace.index.findingsFor(file, defaultConfig()) }).findings
    .filter((finding) => !finding.suppression).map((finding) => finding.ruleId);
}

describe('route inventory: Flask', () => {
  const workspace = analyseWorkspace(path.join(routeFixtures, 'flask'));

  it('follows the app factory to blueprints in a package, with prefixes, before_request hooks and MethodViews', () => {
    assert.deepEqual(routeTable(workspace.inventory), [
      'DELETE /api/items/:item_id → authenticated',
      'DELETE /manage/users/:user_id → authenticated',
      'DELETE /tasks/:task_id → authenticated',
      'GET / → unauthenticated',
      'GET /api/items → authenticated',
      'GET /auth/login → public',
      'GET /auth/logout → public',
      'GET /health → unauthenticated',
      'GET /tasks/:task_id → authenticated',
      'POST /api/items → authenticated',
      'POST /auth/login → public',
      'POST /auth/register → public',
      'POST /export → authenticated',
      'POST /feedback → unauthenticated',
      'POST /manage/reindex → authenticated',
      'POST /posts → authenticated',
      'POST /posts/:post_id/comments → unauthenticated',
      'POST /posts/:post_id/delete → authenticated',
      'POST /posts/:post_id/like → unauthenticated',
      'POST /webhooks/github → public',
      'POST /webhooks/stripe → authenticated',
      'PUT /posts/:post_id → authenticated',
      'PUT /tasks/:task_id → authenticated',
    ]);
    assert.ok(workspace.inventory.routes.every((route) => route.framework === 'flask'));
  });

  it('explains each decision with evidence where the check is', () => {
    const evidence = (method: string, routePath: string) => routeOf(workspace, method, routePath).evidence[0];
    assert.equal(evidence('POST', '/posts').description, 'Flask-Login @login_required');
    assert.equal(evidence('POST', '/manage/reindex').description, 'Flask-JWT-Extended @jwt_required()');
    assert.deepEqual([evidence('DELETE', '/manage/users/:user_id').description, evidence('DELETE', '/manage/users/:user_id').file],
      ['admin_required answers 403 Forbidden when the caller is not allowed', 'app/auth/decorators.py']);
    assert.equal(evidence('POST', '/export').description, 'token_required answers 401 Unauthorized when the caller is not signed in');
    assert.deepEqual([evidence('POST', '/api/items').description, evidence('POST', '/api/items').file],
      ['require_api_key (before_request) answers 401 Unauthorized when the caller is not signed in', 'app/api/__init__.py']);
    assert.equal(evidence('POST', '/posts/:post_id/delete').description, 'the handler answers 401 Unauthorized when the caller is not signed in');
    assert.equal(evidence('POST', '/webhooks/stripe').description, 'the handler verifies the Stripe webhook signature');
    assert.equal(evidence('POST', '/webhooks/github').description, 'marked public: GitHub signs these deliveries; the worker verifies the signature');
    assert.equal(evidence('POST', '/auth/login').description, 'a sign-in endpoint: it has to work before anyone is signed in');
    assert.equal(evidence('PUT', '/tasks/:task_id').description, 'Flask-Login @login_required');
    const like = routeOf(workspace, 'POST', '/posts/:post_id/like');
    assert.deepEqual([like.file, like.range.start.line + 1, like.handler], ['app/blog/views.py', 44, 'like_post']);
  });

  it('reports writes nobody protects (a decorator above the route protects nothing), late checks and unverified JWTs', () => {
    assert.deepEqual(authFindings(workspace), [
      'app/blog/views.py:44 auth/unauthenticated-route',
      'app/blog/views.py:58 auth/check-after-work',
      'app/blog/views.py:68 auth/unauthenticated-route',
      'app/tokens.py:5 auth/jwt-decode-without-verify',
    ]);
    const feedback = findingAt(workspace, 'app/blog/views.py', 'auth/unauthenticated-route', 68);
    assert.match(feedback.message, /^Anyone on the internet can call POST \/feedback: nothing checks who is calling before it changes data\. Protect it with your auth check \(login_required, as used in app\/blog\/views\.py\)/);
    assert.match(findingAt(workspace, 'app/tokens.py', 'auth/jwt-decode-without-verify', 5).message, /jwt\.decode\(token, key, algorithms=\["HS256"\]\)/);
  });

  it('"Require authentication" puts the project\'s decorator under the route decorator, importing it where missing', () => {
    const file = 'app/blog/views.py';
    const fixed = applyFix(workspace.texts.get(file)!, findingAt(workspace, file, 'auth/unauthenticated-route', 68), 'Require authentication (@login_required)');
    assert.match(fixed, /\n@bp\.route\("\/feedback", methods=\["POST"\]\)\n@login_required\ndef feedback\(\):/);
    assert.deepEqual(reanalyse(workspace, file, fixed).filter((id) => id === 'auth/unauthenticated-route'), ['auth/unauthenticated-route'], 'only like_post is left');

    // In a file that does not import it yet, the import comes with it.
    const text = 'from flask import Blueprint\n\nextra = Blueprint("extra", __name__)\n\n\n@extra.post("/notes")\ndef add_note():\n    return "", 201\n';
    const files = Object.fromEntries(workspace.texts);
    const extra = analyseFiles({ ...files, 'app/extra.py': text });
    const finding = findingAt(extra, 'app/extra.py', 'auth/unauthenticated-route', 6);
    assert.equal(applyFix(text, finding, 'Require authentication'),
      'from flask import Blueprint\nfrom flask_login import login_required\n\nextra = Blueprint("extra", __name__)\n\n\n@extra.post("/notes")\n@login_required\ndef add_note():\n    return "", 201\n');
  });

  it('"Mark as public" writes a Python comment; with a reason the route is public and the finding gone', () => {
    const fresh = analyseWorkspace(path.join(routeFixtures, 'flask'));
    const file = 'app/blog/views.py';
    const marked = applyFix(fresh.texts.get(file)!, findingAt(fresh, file, 'auth/unauthenticated-route', 68), 'Mark this route as public');
    assert.match(marked, /\n# shipshape-public: <why anyone may call this>\n@bp\.route\("\/feedback"/);
    assert.ok(reanalyse(fresh, file, marked).includes('config/suppression-without-reason'), 'a placeholder reason is no reason');
    const reasoned = marked.replace('<why anyone may call this>', 'anonymous feedback form, rate-limited');
    assert.deepEqual(reanalyse(fresh, file, reasoned).filter((id) => id.startsWith('auth/')), ['auth/unauthenticated-route', 'auth/check-after-work']);
    assert.equal(routeOf({ ...fresh, inventory: fresh.index.inventory(defaultConfig()) }, 'POST', '/feedback').auth, 'public');
  });
});

describe('route inventory: FastAPI', () => {
  const workspace = analyseWorkspace(path.join(routeFixtures, 'fastapi'));

  it('follows routers included with prefixes and dependencies, Annotated aliases and security schemes across files', () => {
    assert.deepEqual(routeTable(workspace.inventory), [
      'DELETE /admin/cache → authenticated',
      'DELETE /api/v1/items/:id → authenticated',
      'GET /api/v1/items → authenticated',
      'GET /api/v1/items/:id → unauthenticated',
      'GET /api/v1/users/me → authenticated',
      'GET /health → unauthenticated',
      'PATCH /api/v1/users/me → authenticated',
      'POST /admin/reindex → authenticated',
      'POST /api/v1/contact → public',
      'POST /api/v1/items → authenticated',
      'POST /api/v1/login/access-token → public',
      'POST /api/v1/newsletter → unauthenticated',
      'POST /api/v1/reports → authenticated',
      'POST /api/v1/users/:user_id/avatar → unauthenticated',
      'POST /api/v1/users/signup → public',
      'POST /api/v1/webhooks/partner → authenticated',
      'POST /api/v1/webhooks/stripe → authenticated',
      'PUT /api/v1/items/:id → unauthenticated',
    ]);
    assert.ok(workspace.inventory.routes.every((route) => route.framework === 'fastapi'));
  });

  it('explains each decision with evidence', () => {
    const evidence = (method: string, routePath: string) => routeOf(workspace, method, routePath).evidence[0];
    assert.deepEqual([evidence('GET', '/api/v1/items').description, evidence('GET', '/api/v1/items').file],
      ['CurrentUser → get_current_user verifies the JWT (jwt.decode)', 'app/api/deps.py']);
    assert.equal(evidence('GET', '/api/v1/users/me').description, 'get_current_user verifies the JWT (jwt.decode)');
    assert.equal(evidence('POST', '/api/v1/reports').description, 'get_current_user verifies the JWT (jwt.decode)');
    assert.equal(evidence('POST', '/admin/reindex').description, 'get_current_active_superuser raises HTTPException 403 when the caller is not allowed');
    assert.equal(evidence('POST', '/api/v1/webhooks/partner').description, 'verify_partner_key raises HTTPException 401 when the caller is not signed in');
    assert.equal(evidence('POST', '/api/v1/contact').description, 'marked public: the contact form is for visitors; it is rate-limited at the proxy');
  });

  it('reports unprotected writes, a check after the upload, and unverified claims', () => {
    assert.deepEqual(authFindings(workspace), [
      'app/api/routes/items.py:30 auth/unauthenticated-route',
      'app/api/routes/public.py:14 auth/unauthenticated-route',
      'app/api/routes/users.py:37 auth/check-after-work',
      'app/auth_utils.py:5 auth/jwt-decode-without-verify',
    ]);
    assert.match(findingAt(workspace, 'app/api/routes/users.py', 'auth/check-after-work', 37).message,
      /^POST \/api\/v1\/users\/:user_id\/avatar checks who is calling \(raises HTTPException 401 when the caller is not signed in\) only after it has already done its work/);
  });

  it('"Require authentication" adds dependencies=[Depends(…)], joining the file\'s own imports', () => {
    const file = 'app/api/routes/public.py';
    const fixed = applyFix(workspace.texts.get(file)!, findingAt(workspace, file, 'auth/unauthenticated-route', 14), 'Require authentication (Depends(get_current_user))');
    assert.match(fixed, /^from fastapi import APIRouter, Depends\n\nfrom app\.api\.deps import SessionDep, get_current_user\n/);
    assert.match(fixed, /@router\.post\("\/newsletter", dependencies=\[Depends\(get_current_user\)\]\)\ndef subscribe/);
    const items = 'app/api/routes/items.py';
    const itemsFixed = applyFix(workspace.texts.get(items)!, findingAt(workspace, items, 'auth/unauthenticated-route', 30), 'Require authentication');
    assert.match(itemsFixed, /@router\.put\("\/\{id\}", dependencies=\[Depends\(get_current_user\)\]\)/);
    assert.equal(itemsFixed.match(/import/g)?.length, workspace.texts.get(items)!.match(/import/g)?.length, 'everything needed is imported already');
    assert.deepEqual(reanalyse(analyseWorkspace(path.join(routeFixtures, 'fastapi')), items, itemsFixed).filter((id) => id.startsWith('auth/')), []);
  });

  it('offers no dependency fix where the route decorator already has dependencies', () => {
    const workspace = analyseFiles({
      'main.py': 'from fastapi import Depends, FastAPI\nfrom deps import audit, get_user\n\napp = FastAPI()\n\n\n@app.post("/a", dependencies=[Depends(audit)])\ndef a():\n    return 1\n\n\n@app.post("/b")\ndef b(user=Depends(get_user)):\n    return 1\n',
      'deps.py': 'from fastapi import HTTPException, Request\n\n\ndef get_user(request: Request):\n    if not request.headers.get("authorization"):\n        raise HTTPException(status_code=401)\n\n\ndef audit(request: Request):\n    return None\n',
    });
    assert.deepEqual(routeTable(workspace.inventory), ['POST /a → unauthenticated', 'POST /b → authenticated']);
    const finding = findingAt(workspace, 'main.py', 'auth/unauthenticated-route', 7);
    assert.deepEqual(finding.fixes?.map((fix) => (fix.kind === 'edit' ? fix.title : fix.kind)), ['Mark this route as public on purpose']);
  });

  it('puts a prefix held in settings in place (the full-stack template\'s settings.API_V1_STR)', () => {
    const files = {
      'app/core/config.py': 'from pydantic_settings import BaseSettings\n\n\nclass Settings(BaseSettings):\n    API_V1_STR: str = "/api/v1/"\n    PROJECT_NAME: str = "demo"\n    DEBUG = False\n\n\nsettings = Settings()\n',
      'app/main.py': 'from fastapi import FastAPI\nfrom app.api.main import api_router\nfrom app.core.config import settings\n\napp = FastAPI()\napp.include_router(api_router, prefix=settings.API_V1_STR)\napp.include_router(api_router, prefix=f"{settings.LEGACY_PREFIX}/old")\n',
      'app/api/main.py': 'from fastapi import APIRouter\nfrom app.api.routes import items\n\napi_router = APIRouter()\napi_router.include_router(items.router, prefix="/items")\n',
      'app/api/routes/items.py': 'from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n@router.post("/{item_id}")\ndef update_item(item_id: int):\n    return item_id\n',
      'app/__init__.py': '', 'app/api/__init__.py': '', 'app/api/routes/__init__.py': '', 'app/core/__init__.py': '',
    };
    // A setting no file defines keeps its placeholder.
    assert.deepEqual(routeTable(analyseFiles(files).inventory), ['POST /api/v1/items/:item_id → unauthenticated', 'POST /{LEGACY_PREFIX}/old/items/:item_id → unauthenticated']);
    // Two files giving one setting different values: the placeholder stays.
    const conflicting = analyseFiles({ ...files, 'app/core/other.py': 'from pydantic_settings import BaseSettings\n\n\nclass Other(BaseSettings):\n    API_V1_STR: str = "/v2"\n' });
    assert.deepEqual(routeTable(conflicting.inventory)[0], 'POST /{API_V1_STR}/items/:item_id → unauthenticated');
    // Only values that read as URL paths are kept: a secret setting never reaches the facts.
    const config = files['app/core/config.py'].replace('    DEBUG = False\n', '    SECRET_KEY: str = "k9Qw2-change-me-7Hd2Lk9Qw3Zr5Tv8"\n    DEBUG = False\n');
    const facts = builtinAnalyzer().analyzeFile({ path: 'app/core/config.py', text: config }).routeFacts;
    assert.deepEqual(facts?.pathSettings, { API_V1_STR: '/api/v1/' });
    assert.doesNotMatch(JSON.stringify(facts), /k9Qw2/);
  });

  it('puts a prefix held in a plain config module\'s constant in place', () => {
    const files = {
      'app/config.py': 'import os\n\nAPI_PREFIX = "/api/v1"\nDATABASE_URL = os.environ["DATABASE_URL"]\nSECRET_KEY = "k9Qw2-change-me-7Hd2Lk9Qw3Zr5Tv8"\n',
      'app/main.py': 'from fastapi import FastAPI\n\nfrom app.config import API_PREFIX\nfrom app.routes import router\n\napp = FastAPI()\napp.include_router(router, prefix=API_PREFIX)\n',
      'app/routes.py': 'from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n@router.delete("/items/{item_id}")\ndef delete_item(item_id: int):\n    return {"ok": True}\n',
      'app/__init__.py': '',
    };
    assert.deepEqual(routeTable(analyseFiles(files).inventory), ['DELETE /api/v1/items/:item_id → unauthenticated']);
    const facts = builtinAnalyzer().analyzeFile({ path: 'app/config.py', text: files['app/config.py'] }).routeFacts;
    assert.deepEqual(facts?.pathSettings, { API_PREFIX: '/api/v1' });
    assert.doesNotMatch(JSON.stringify(facts), /k9Qw2/);
  });
});

describe('route inventory: Django and Django REST Framework', () => {
  const workspace = analyseWorkspace(path.join(routeFixtures, 'django'));

  it('follows urlpatterns through include() to function views, class-based views, DRF views and router ViewSets', () => {
    assert.deepEqual(routeTable(workspace.inventory), [
      'ALL /admin → authenticated',
      'DELETE /api/orders/:pk → authenticated',
      'GET / → unauthenticated',
      'GET /accounts/login → public',
      'GET /api/feedback → unauthenticated',
      'GET /api/health → public',
      'GET /api/orders → authenticated',
      'GET /api/orders/:pk → authenticated',
      'GET /api/products → public',
      'GET /api/products/:pk → public',
      'GET /archive/:year → unauthenticated',
      'GET /contact → public',
      'GET /newsletter → unauthenticated',
      'GET /orders → authenticated',
      'GET /products/:pk → unauthenticated',
      'GET /profile → authenticated',
      'GET /reviews/:slug → unauthenticated',
      'PATCH /api/orders/:pk → authenticated',
      'POST /accounts/login → public',
      'POST /api/feedback → authenticated',
      'POST /api/orders → authenticated',
      'POST /api/orders/:pk/refund → authenticated',
      'POST /api/signup → public',
      'POST /api/token → public',
      'POST /api/webhooks/shipping → unauthenticated',
      'POST /cart/add/:product_id → authenticated',
      'POST /contact → public',
      'POST /newsletter → unauthenticated',
      'POST /orders → authenticated',
      'POST /orders/:pk/cancel → authenticated',
      'POST /profile → authenticated',
      'POST /reviews/:slug → unauthenticated',
      'PUT /api/orders/:pk → authenticated',
    ]);
    assert.ok(workspace.inventory.routes.every((route) => route.framework === 'django'));
  });

  it('places each route at its view and explains the decision', () => {
    const route = (method: string, routePath: string) => routeOf(workspace, method, routePath);
    const evidence = (method: string, routePath: string) => route(method, routePath).evidence[0];
    assert.deepEqual([route('POST', '/reviews/:slug').file, route('POST', '/reviews/:slug').range.start.line + 1, route('POST', '/reviews/:slug').handler], ['shop/views.py', 46, 'ReviewView.post']);
    assert.deepEqual([route('DELETE', '/api/orders/:pk').file, route('DELETE', '/api/orders/:pk').handler], ['api/views.py', 'OrderViewSet.destroy']);
    assert.deepEqual([evidence('GET', '/api/orders').description, evidence('GET', '/api/orders').file],
      ['IsAuthenticated (DEFAULT_PERMISSION_CLASSES in settings.py)', 'config/settings.py']);
    assert.equal(evidence('POST', '/api/feedback').description, 'permission_classes: IsAuthenticatedOrReadOnly');
    assert.equal(evidence('GET', '/api/products').description, 'permission_classes = [AllowAny]: anyone may call it');
    assert.equal(evidence('POST', '/cart/add/:product_id').description, 'Django @login_required');
    assert.equal(evidence('POST', '/orders').description, 'LoginRequiredMixin');
    assert.deepEqual([evidence('POST', '/profile').description, evidence('POST', '/profile').file], ['Django @login_required', 'shop/urls.py']);
    assert.equal(evidence('POST', '/orders/:pk/cancel').description, 'the handler answers 403 Forbidden when the caller is not allowed');
    assert.equal(evidence('POST', '/accounts/login').description, 'LoginView signs people in: it has to work before anyone is signed in');
    assert.equal(evidence('POST', '/api/token').description, 'TokenObtainPairView signs people in: it has to work before anyone is signed in');
    assert.equal(evidence('ALL', '/admin').description, 'the Django admin site requires a staff sign-in');
    assert.equal(evidence('POST', '/contact').description, 'marked public: the contact form is for visitors');
  });

  it('reports the views that change data for anyone', () => {
    assert.deepEqual(authFindings(workspace), [
      'api/views.py:52 auth/unauthenticated-route',
      'shop/views.py:46 auth/unauthenticated-route',
      'shop/views.py:51 auth/unauthenticated-route',
    ]);
  });

  it('"Require authentication" fits the view: @login_required, LoginRequiredMixin, a permission class in the list', () => {
    const shop = 'shop/views.py';
    const text = workspace.texts.get(shop)!;
    assert.match(applyFix(text, findingAt(workspace, shop, 'auth/unauthenticated-route', 51), 'Require authentication (@login_required)'), /\n\n@login_required\ndef newsletter_signup\(request\):/);
    assert.match(applyFix(text, findingAt(workspace, shop, 'auth/unauthenticated-route', 46), 'Require authentication (LoginRequiredMixin)'), /\nclass ReviewView\(LoginRequiredMixin, View\):/);
    const api = 'api/views.py';
    const fixed = applyFix(workspace.texts.get(api)!, findingAt(workspace, api, 'auth/unauthenticated-route', 52), 'Require authentication (IsAuthenticated)');
    assert.match(fixed, /    permission_classes = \[IsAuthenticated\]\n\n    def post/);
    assert.match(fixed, /^from rest_framework\.permissions import AllowAny, IsAuthenticatedOrReadOnly, IsAuthenticated$/m);
    const marked = applyFix(text, findingAt(workspace, shop, 'auth/unauthenticated-route', 46), 'Mark this route as public');
    assert.match(marked, /\n    # shipshape-public: <why anyone may call this>\n    def post\(self, request, slug\):/);
  });

  it('the project default applies only to DRF views that set no permission classes; Django\'s LoginRequiredMiddleware to every view', () => {
    const views = [
      'from django.contrib.auth.decorators import login_not_required',
      'from rest_framework.decorators import api_view',
      'from rest_framework.views import APIView',
      '',
      '@api_view(["POST"])',
      'def ping(request):',
      '    return None',
      '',
      'def edit(request):',
      '    if request.method == "POST":',
      '        request.user.save()',
      '',
      '@login_not_required',
      'def signup_form(request):',
      '    if request.method == "POST":',
      '        save(request.POST)',
      '',
      'class Upload(APIView):',
      '    def post(self, request):',
      '        return None',
      '',
    ].join('\n');
    const urls = 'from django.urls import path\nfrom . import views\n\nurlpatterns = [\n    path("ping/", views.ping),\n    path("edit/", views.edit),\n    path("join/", views.signup_form),\n    path("upload/", views.Upload.as_view()),\n]\n';
    const unprotected = analyseFiles({ 'site/settings.py': 'MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]\n', 'site/urls.py': urls, 'site/views.py': views, 'site/__init__.py': '' });
    assert.deepEqual(routeTable(unprotected.inventory), ['GET /edit → unauthenticated', 'GET /join → public', 'POST /edit → unauthenticated', 'POST /join → public', 'POST /ping → unauthenticated', 'POST /upload → unauthenticated']);
    const settings = 'MIDDLEWARE = [\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    "django.contrib.auth.middleware.LoginRequiredMiddleware",\n]\n';
    const protectedSite = analyseFiles({ 'site/settings.py': settings, 'site/urls.py': urls, 'site/views.py': views, 'site/__init__.py': '' });
    assert.deepEqual(routeTable(protectedSite.inventory), ['GET /edit → authenticated', 'GET /join → public', 'POST /edit → authenticated', 'POST /join → public', 'POST /ping → authenticated', 'POST /upload → authenticated']);
    assert.equal(routeOf(protectedSite, 'POST', '/edit').evidence[0].description, "Django's LoginRequiredMiddleware (MIDDLEWARE in settings.py)");
    assert.equal(routeOf(protectedSite, 'POST', '/join').evidence[0].description, '@login_not_required marks it public');
  });

  it('include() of a module object, an inline list and an imported router; urlpatterns += router.urls; as_view() aliases and action maps', () => {
    const workspace = analyseFiles({
      'proj/urls.py': [
        'from django.urls import include, path, re_path',
        'from billing import urls as billing_urls',
        'from notes.api import router as notes_router',
        'from notes import views',
        '',
        'urlpatterns = [',
        '    path("billing/", include(billing_urls)),',
        '    path("notes/", include([',
        '        path("", views.note_list),',
        '        path("<int:pk>/", views.note_detail),',
        '    ])),',
        '    path("api/", include(notes_router.urls)),',
        '    re_path(r"^legacy/(?P<slug>[-\\w]+)/(\\d+)/?$", views.note_list),',
        ']',
        '',
      ].join('\n'),
      'billing/__init__.py': '',
      'billing/urls.py': 'from django.urls import path\nfrom rest_framework.routers import DefaultRouter\nfrom .views import InvoiceViewSet\n\nrouter = DefaultRouter()\nrouter.register("invoices", InvoiceViewSet, basename="invoice")\nurlpatterns = []\nurlpatterns += router.urls\n',
      'billing/views.py': 'from rest_framework import mixins, viewsets\n\n\nclass InvoiceViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):\n    lookup_field = "number"\n',
      'notes/__init__.py': '',
      'notes/api.py': 'from rest_framework.routers import SimpleRouter\nfrom .views import NoteViewSet\n\nrouter = SimpleRouter()\nrouter.register(r"^notes$", NoteViewSet)\n',
      'notes/views.py': [
        'from django.contrib.auth.decorators import login_required',
        'from django.views.decorators.http import require_http_methods',
        'from rest_framework import viewsets',
        'from rest_framework.permissions import IsAuthenticated',
        '',
        'class NoteViewSet(viewsets.ReadOnlyModelViewSet):',
        '    permission_classes = [IsAuthenticated]',
        '',
        '@require_http_methods(["GET", "DELETE"])',
        'def note_detail(request, pk):',
        '    return None',
        '',
        'def note_list(request):',
        '    return None',
        '',
      ].join('\n'),
    });
    assert.deepEqual(routeTable(workspace.inventory), [
      'DELETE /notes/:pk → unauthenticated',
      'GET /api/notes → authenticated',
      'GET /api/notes/:pk → authenticated',
      'GET /billing/invoices → unauthenticated',
      'GET /legacy/:slug/:param → unauthenticated',
      'GET /notes → unauthenticated',
      'GET /notes/:pk → unauthenticated',
      'POST /billing/invoices → unauthenticated',
    ]);
    assert.deepEqual(authFindings(workspace), ['notes/views.py:10 auth/unauthenticated-route', 'billing/views.py:4 auth/unauthenticated-route'].sort());
  });

  it('reads get_permissions() by action, @action permission classes, and custom permission classes by their code', () => {
    const views = [
      'from rest_framework import permissions, viewsets',
      'from rest_framework.decorators import action',
      'from .permissions import IsMember',
      '',
      'class ArticleViewSet(viewsets.ModelViewSet):',
      '    def get_permissions(self):',
      '        if self.action in ["list", "retrieve"]:',
      '            return [permissions.AllowAny()]',
      '        return [permissions.IsAuthenticated()]',
      '',
      'class TeamViewSet(viewsets.GenericViewSet):',
      '    permission_classes = [IsMember]',
      '',
      '    def create(self, request):',
      '        return None',
      '',
      '    @action(detail=False, methods=["post"], url_path="join-request", permission_classes=[permissions.AllowAny])',
      '    def join(self, request):',
      '        return None',
      '',
    ].join('\n');
    const workspace = analyseFiles({
      'blog/__init__.py': '',
      'blog/views.py': views,
      'blog/permissions.py': 'from rest_framework.permissions import BasePermission\n\n\nclass IsMember(BasePermission):\n    def has_permission(self, request, view):\n        return bool(request.user and request.user.is_authenticated and request.user.team_id)\n',
      'blog/urls.py': 'from rest_framework.routers import SimpleRouter\nfrom .views import ArticleViewSet, TeamViewSet\n\nrouter = SimpleRouter()\nrouter.register(r"articles", ArticleViewSet)\nrouter.register(r"teams", TeamViewSet, basename="team")\nurlpatterns = router.urls\n',
    });
    assert.deepEqual(routeTable(workspace.inventory), [
      'DELETE /articles/:pk → authenticated',
      'GET /articles → public',
      'GET /articles/:pk → public',
      'PATCH /articles/:pk → authenticated',
      'POST /articles → authenticated',
      'POST /teams → authenticated',
      'POST /teams/join-request → public',
      'PUT /articles/:pk → authenticated',
    ]);
    assert.deepEqual([routeOf(workspace, 'POST', '/teams').evidence[0].description, routeOf(workspace, 'POST', '/teams').evidence[0].file],
      ['IsMember has_permission checks who is calling', 'blog/permissions.py']);
  });
});

describe('route inventory: more Python shapes', () => {
  it('Flask-RESTful resources, FastAPI HTTP middleware and routers mounted on imported apps', () => {
    const workspace = analyseFiles({
      'svc/__init__.py': '',
      'svc/api.py': [
        'from flask import Flask',
        'from flask_restful import Api, Resource',
        'from .auth import auth',
        '',
        'app = Flask(__name__)',
        'api = Api(app, prefix="/v1")',
        '',
        'class Todo(Resource):',
        '    method_decorators = {"post": [auth.login_required]}',
        '',
        '    def get(self, todo_id):',
        '        return {}',
        '',
        '    def post(self, todo_id):',
        '        return {}',
        '',
        'api.add_resource(Todo, "/todos/<int:todo_id>")',
        '',
      ].join('\n'),
      'svc/auth.py': 'from flask_httpauth import HTTPTokenAuth\n\nauth = HTTPTokenAuth(scheme="Bearer")\n',
      'gw/__init__.py': '',
      'gw/main.py': [
        'from fastapi import FastAPI, Request',
        'from fastapi.responses import JSONResponse',
        '',
        'app = FastAPI()',
        '',
        '@app.middleware("http")',
        'async def require_token(request: Request, call_next):',
        '    if request.url.path != "/health" and not request.headers.get("authorization"):',
        '        return JSONResponse({"detail": "unauthorized"}, status_code=401)',
        '    return await call_next(request)',
        '',
      ].join('\n'),
      'gw/routes.py': 'from gw.main import app\n\n\n@app.post("/jobs")\ndef create_job():\n    return {}\n',
    });
    assert.deepEqual(routeTable(workspace.inventory), ['GET /v1/todos/:todo_id → unauthenticated', 'POST /jobs → authenticated', 'POST /v1/todos/:todo_id → authenticated']);
    assert.equal(routeOf(workspace, 'POST', '/jobs').evidence[0].description, 'require_token (HTTP middleware) answers 401 Unauthorized when the caller is not signed in');
    assert.equal(routeOf(workspace, 'POST', '/v1/todos/:todo_id').evidence[0].description, '@login_required (Flask-HTTPAuth style)');
  });

  it('blueprints registered by a helper in another file, nested blueprints, FastAPI app-wide dependencies', () => {
    const workspace = analyseFiles({
      'site/__init__.py': 'from flask import Flask\nfrom .blueprints import register_blueprints\n\n\ndef create_app():\n    app = Flask(__name__)\n    register_blueprints(app)\n    return app\n',
      'site/blueprints.py': [
        'from flask import Blueprint',
        'from flask_login import login_required',
        '',
        'shop = Blueprint("shop", __name__, url_prefix="/shop")',
        'cart = Blueprint("cart", __name__, url_prefix="/cart")',
        '',
        '@cart.post("/items")',
        'def add_item():',
        '    return "", 201',
        '',
        '@cart.before_request',
        '@login_required',
        'def guard():',
        '    pass',
        '',
        'shop.register_blueprint(cart)',
        '',
        'def register_blueprints(app):',
        '    app.register_blueprint(shop, url_prefix="/store")',
        '',
      ].join('\n'),
      'svc/main.py': 'from fastapi import Depends, FastAPI\nfrom svc.security import require_key\n\napp = FastAPI(dependencies=[Depends(require_key)])\n\n\n@app.delete("/cache")\ndef clear():\n    return {}\n',
      'svc/security.py': 'from fastapi import Header, HTTPException\n\n\ndef require_key(x_api_key: str = Header(...)):\n    if x_api_key != "expected":\n        raise HTTPException(status_code=401)\n',
    });
    assert.deepEqual(routeTable(workspace.inventory), ['DELETE /cache → authenticated', 'POST /store/cart/items → unauthenticated']);
    assert.equal(routeOf(workspace, 'DELETE', '/cache').evidence[0].description, 'require_key raises HTTPException 401 when the caller is not signed in');
  });

  it('judges project decorators by the wrapper they return, and session checks in the handler', () => {
    const workspace = analyseFiles({
      'web/__init__.py': '',
      'web/app.py': [
        'from flask import Flask, redirect, session, url_for',
        'from .guards import roles_required',
        '',
        'app = Flask(__name__)',
        '',
        '@app.route("/admin/purge", methods=["POST"])',
        '@roles_required("admin")',
        'def purge():',
        '    return "ok"',
        '',
        '@app.route("/account/delete", methods=["POST"])',
        'def delete_account():',
        '    if "user_id" not in session:',
        '        return redirect(url_for("login"))',
        '    return "deleted"',
        '',
        '@app.route("/profile", methods=["POST"])',
        'def profile():',
        '    if session.get("user_id"):',
        '        db.save(session["user_id"])',
        '    return "ok"',
        '',
      ].join('\n'),
      'web/guards.py': [
        'from functools import wraps',
        'from flask import abort',
        'from flask_jwt_extended import get_jwt, verify_jwt_in_request',
        '',
        'def roles_required(*roles):',
        '    def decorator(fn):',
        '        @wraps(fn)',
        '        def wrapper(*args, **kwargs):',
        '            verify_jwt_in_request()',
        '            if get_jwt().get("role") not in roles:',
        '                abort(403)',
        '            return fn(*args, **kwargs)',
        '        return wrapper',
        '    return decorator',
        '',
      ].join('\n'),
    });
    assert.deepEqual(routeTable(workspace.inventory), ['POST /account/delete → authenticated', 'POST /admin/purge → authenticated', 'POST /profile → authenticated']);
    assert.equal(routeOf(workspace, 'POST', '/admin/purge').evidence[0].description, 'roles_required verifies the JWT (verify_jwt_in_request)');
    assert.equal(routeOf(workspace, 'POST', '/account/delete').evidence[0].description, 'the handler redirects anonymous visitors to sign in');
    assert.equal(routeOf(workspace, 'POST', '/profile').evidence[0].description, 'the handler does its work only when the caller is signed in');
  });

  it('Django class-based views: method_decorator on the class or dispatch, a dispatch that checks, the project\'s own login_required', () => {
    const views = [
      'from django.contrib.auth.decorators import permission_required',
      'from django.shortcuts import redirect',
      'from django.utils.decorators import method_decorator',
      'from django.views import View',
      'from django.views.generic import DeleteView, FormView',
      '',
      'def login_required(view):',
      '    def wrapped(request, *args, **kwargs):',
      '        if not request.user.is_authenticated:',
      '            return redirect("login")',
      '        return view(request, *args, **kwargs)',
      '    return wrapped',
      '',
      '@method_decorator(permission_required("shop.delete_order"), name="dispatch")',
      'class OrderDelete(DeleteView):',
      '    pass',
      '',
      'class Settings(View):',
      '    @method_decorator(login_required)',
      '    def dispatch(self, request, *args, **kwargs):',
      '        return super().dispatch(request, *args, **kwargs)',
      '',
      '    def post(self, request):',
      '        request.user.save()',
      '',
      'class Import(FormView):',
      '    def dispatch(self, request, *args, **kwargs):',
      '        if not request.user.is_staff:',
      '            return redirect("login")',
      '        return super().dispatch(request, *args, **kwargs)',
      '',
      '@login_required',
      'def export(request):',
      '    if request.method == "POST":',
      '        request.user.save()',
      '',
    ].join('\n');
    const workspace = analyseFiles({
      'shop/__init__.py': '',
      'shop/views.py': views,
      'shop/urls.py': 'from django.urls import path\nfrom .views import Import, OrderDelete, Settings, export\n\nurlpatterns = [\n    path("orders/<int:pk>/delete/", OrderDelete.as_view()),\n    path("settings/", Settings.as_view()),\n    path("import/", Import.as_view()),\n    path("export/", export),\n]\n',
    });
    assert.deepEqual(routeTable(workspace.inventory), [
      'GET /export → authenticated', 'GET /import → authenticated', 'GET /orders/:pk/delete → authenticated', 'POST /export → authenticated',
      'POST /import → authenticated', 'POST /orders/:pk/delete → authenticated', 'POST /settings → authenticated',
    ]);
    assert.equal(routeOf(workspace, 'POST', '/orders/:pk/delete').evidence[0].description, '@method_decorator(permission_required("shop.delete_order"))');
    assert.equal(routeOf(workspace, 'POST', '/export').evidence[0].description, 'login_required redirects anonymous visitors to sign in');
    assert.equal(routeOf(workspace, 'POST', '/import').evidence[0].description, 'Import.dispatch() redirects anonymous visitors to sign in');
  });

  it('auth/jwt-decode-without-verify: PyJWT with verification off, the "none" algorithm, python-jose unverified claims', () => {
    const ids = (text: string) => analyseFiles({ 'auth.py': text }).findings.get('auth.py')!.filter((finding) => finding.category === 'auth').map((finding) => finding.range.start.line + 1);
    assert.deepEqual(ids('import jwt\n\ndef a(t):\n    return jwt.decode(t, options={"verify_signature": False})\n\ndef b(t):\n    return jwt.decode(t, "k", algorithms=["none"])\n\ndef c(t):\n    return jwt.decode(t, verify=False)\n'), [4, 7, 10]);
    assert.deepEqual(ids('from jose import jwt\n\ndef claims(t):\n    return jwt.get_unverified_claims(t)\n'), [4]);
    assert.deepEqual(ids('import jwt\n\ndef ok(t, key):\n    return jwt.decode(t, key, algorithms=["RS256"])\n'), []);
    // Reading the header or claims only to choose the key, then verifying, is fine.
    assert.deepEqual(ids('import jwt\n\ndef ok(t, keys):\n    kid = jwt.decode(t, options={"verify_signature": False})["kid"]\n    return jwt.decode(t, keys[kid], algorithms=["RS256"])\n'), []);
    assert.deepEqual(ids('import base64\n\ndef not_jwt(data):\n    return base64.b64decode(data).decode("utf-8")\n'), []);
  });

  it('resolves Python modules: relative, absolute from the project roots, submodules, and packages it does not hold', () => {
    const files = new Set(['backend/app/__init__.py', 'backend/app/api/__init__.py', 'backend/app/api/deps.py', 'backend/app/api/routes/items.py', 'backend/app/jwt.py', 'backend/main.py', 'polls/urls.py', 'mysite/urls.py', 'ns/pkg/mod.py']);
    const resolver = new PythonModuleResolver(files);
    assert.equal(resolver.resolve('backend/app/api/routes/items.py', '..deps'), 'backend/app/api/deps.py');
    assert.equal(resolver.resolve('backend/app/api/routes/items.py', '...'), 'backend/app/__init__.py');
    assert.equal(resolver.resolve('backend/app/api/routes/items.py', 'app.api.deps'), 'backend/app/api/deps.py');
    assert.equal(resolver.resolve('backend/main.py', 'app.api'), 'backend/app/api/__init__.py');
    assert.equal(resolver.resolve('mysite/urls.py', 'polls.urls'), 'polls/urls.py');
    assert.equal(resolver.submodule('backend/main.py', 'app.api.routes', 'items'), 'backend/app/api/routes/items.py');
    assert.equal(resolver.resolve('ns/pkg/mod.py', 'pkg.mod'), 'ns/pkg/mod.py', 'namespace packages without __init__.py');
    assert.equal(resolver.resolve('backend/app/api/deps.py', 'jwt'), undefined, 'inside a package, `import jwt` is PyJWT, not app/jwt.py');
    assert.equal(resolver.resolve('backend/app/api/deps.py', 'flask_login'), undefined);
    assert.equal(pythonModuleSpecifier('backend/app/api/routes/items.py', 'backend/app/api/deps.py', files), '..deps');
    assert.equal(pythonModuleSpecifier('backend/main.py', 'backend/app/api/deps.py', files), 'app.api.deps');
  });
});

describe('Python routes: code mid-edit and performance', () => {
  /** Per fixture: a file being typed, and files whose findings do not depend on it. */
  const independent: Record<string, { edited: string; observed: string[] }[]> = {
    flask: [{ edited: 'app/api/routes.py', observed: ['app/blog/views.py', 'app/tokens.py'] }, { edited: 'app/admin.py', observed: ['app/blog/views.py'] }],
    fastapi: [{ edited: 'app/api/routes/users.py', observed: ['app/api/routes/items.py', 'app/api/routes/public.py'] }],
    django: [{ edited: 'shop/views.py', observed: ['api/views.py'] }, { edited: 'api/urls.py', observed: ['shop/views.py'] }],
  };
  for (const framework of ['flask', 'fastapi', 'django']) {
    it(`${framework}: every truncation of every file analyses without throwing, and other files' findings do not flicker`, () => {
      const workspace = analyseWorkspace(path.join(routeFixtures, framework));
      const analyzer = builtinAnalyzer();
      const key = (file: string) => workspace.index.findingsFor(file, defaultConfig()).map((finding) => `${finding.range.start.line + 1} ${finding.ruleId}`).join(',');
      const pythonFiles = [...workspace.texts.keys()].filter((file) => file.endsWith('.py'));
      for (const edited of pythonFiles) {
        const original = workspace.texts.get(edited)!;
        const observed = independent[framework].find((entry) => entry.edited === edited)?.observed ?? [];
        const before = new Map(observed.map((file) => [file, key(file)]));
        assert.ok(observed.every((file) => before.get(file) !== ''), `${observed.join(', ')} should have findings to watch`);
        const step = Math.max(1, Math.floor(original.length / 60));
        for (let cut = 0; cut <= original.length; cut += step) {
          const result = analyzer.analyzeFile({ path: edited, text: original.slice(0, cut) });
          assert.equal(result.failures, undefined, `${edited} cut at ${cut}: ${JSON.stringify(result.failures)}`);
          workspace.index.update(edited, result.routeFacts);
          for (const file of observed) assert.equal(key(file), before.get(file), `${file} changed while ${edited} was cut at ${cut}`);
        }
        workspace.index.update(edited, analyzer.analyzeFile({ path: edited, text: original }).routeFacts);
      }
      assert.deepEqual(routeTable(workspace.index.inventory(defaultConfig())), routeTable(workspace.inventory), 'typing the files back restores the inventory');
      // Facts are plain data (no parse-tree nodes, whose parent links would make this throw): they cross worker threads in a CLI scan.
      for (const file of workspace.index.filesWithFacts()) assert.doesNotThrow(() => JSON.stringify(workspace.index.factsOf(file)), file);
    });
  }

  it('broken Python never throws', () => {
    const analyzer = builtinAnalyzer();
    for (const broken of ['@app.route(', '@app.route("/x", methods=[', 'def f(:\n  @bp.post("/y")\n', 'urlpatterns = [path("a/", include(', 'router.register(', 'class V(APIView):\n    permission_classes = [', '@router.get("/x", dependencies=[Depends(', ')))]]]}}}', 'app = Flask(\n@app.post("/z")\ndef z(): pass\n']) {
      const text = `from flask import Flask\nfrom fastapi import APIRouter, Depends\nfrom django.urls import include, path\napp = Flask(__name__)\nrouter = APIRouter()\n${broken}`;
      for (const [file, source] of [['broken.py', text], ['urls.py', broken], ['views.py', `from rest_framework.views import APIView\n${broken}`]]) {
        assert.equal(analyzer.analyzeFile({ path: file, text: source }).failures, undefined, `${file}: ${broken}`);
      }
      assert.doesNotThrow(() => analyseFiles({ 'broken.py': text, 'urls.py': broken }));
    }
  });

  it('parses only Python files that can hold routes or checks', () => {
    const analyzer = builtinAnalyzer();
    assert.equal(analyzer.analyzeFile({ path: 'scripts/report.py', text: 'import csv\n\nfor row in csv.reader(open("a.csv")):\n    print(row)\n' }).routeFacts, undefined);
    assert.equal(analyzer.analyzeFile({ path: 'app/models.py', text: 'from sqlalchemy import Column\n\nclass User:\n    id = Column()\n' }).routeFacts, undefined);
    // A large routes module stays fast.
    const lines = ['from flask import Blueprint', 'from flask_login import login_required', 'bp = Blueprint("big", __name__)'];
    for (let index = 0; index < 2000; index++) lines.push('', `@bp.route("/items/${index}/<int:item_id>", methods=["POST"])`, '@login_required', `def item_${index}(item_id):`, `    return str(item_id + ${index})`);
    const text = lines.join('\n');
    const started = process.hrtime.bigint();
    const facts = analyzer.analyzeFile({ path: 'big.py', text }).routeFacts;
    const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
    assert.equal(facts?.routers[0].registrations.length, 2000);
    assert.ok(elapsed < 1500, `took ${elapsed.toFixed(0)} ms`);
  });
});
