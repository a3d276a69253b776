/** The few entry points of fengari (a Lua VM in JavaScript, no types of its own) the health-check tests use. */
declare module 'fengari' {
  type LuaState = object;
  const fengari: {
    lua: { lua_tojsstring(L: LuaState, index: number): string };
    lauxlib: { luaL_newstate(): LuaState; luaL_dostring(L: LuaState, code: Uint8Array): number };
    lualib: { luaL_openlibs(L: LuaState): void };
    to_luastring(s: string): Uint8Array;
  };
  export default fengari;
}
